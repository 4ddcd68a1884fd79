"""Blueprints, one package per area."""


def register_blueprints(app):
    from blueprints.admin import bp as admin_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.complaints import bp as complaints_bp
    from blueprints.core import bp as core_bp
    from blueprints.letters import bp as letters_bp
    from blueprints.work import bp as work_bp

    for bp in (core_bp, auth_bp, complaints_bp, admin_bp, work_bp, letters_bp):
        app.register_blueprint(bp)
