"""Blueprints, one package per area."""


def register_blueprints(app):
    from blueprints.accountability import bp as accountability_bp
    from blueprints.admin import bp as admin_bp
    from blueprints.analysis import bp as analysis_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.complaints import bp as complaints_bp
    from blueprints.core import bp as core_bp
    from blueprints.emergency import bp as emergency_bp
    from blueprints.letters import bp as letters_bp
    from blueprints.plans import bp as plans_bp
    from blueprints.public import bp as public_bp
    from blueprints.staff import bp as staff_bp
    from blueprints.work import bp as work_bp

    for bp in (core_bp, auth_bp, complaints_bp, admin_bp, work_bp, letters_bp, emergency_bp,
               accountability_bp, plans_bp, staff_bp, public_bp, analysis_bp):
        app.register_blueprint(bp)
