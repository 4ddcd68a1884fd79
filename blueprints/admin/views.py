"""Administration: users, departments, organisation settings and deadlines."""
from flask import abort, flash, render_template, request, url_for
from peewee import JOIN
from flask_babel import gettext as _

from flask_login import current_user

from app import org_settings
from blueprints.admin import bp
from blueprints.admin.forms import (DEADLINE_FIELDS, DeadlineForm, DepartmentForm, SettingsForm,
                                   UserForm)
from blueprints.web import redirect_after_post, roles_required
from domain import access, accounts
from domain.errors import DomainError
from domain.models import Department, User
from domain.settings import save_settings

admin_only = roles_required(access.can_administer, fresh=True)


def _attach(form, error: DomainError):
    field = getattr(form, error.field, None) if error.field else None
    (field.errors if field is not None else form.form_errors).append(str(error.message))


@bp.get("/users")
@admin_only
def users():
    rows = (User.select(User, Department).join(Department, JOIN.LEFT_OUTER)
            .order_by(User.active.desc(), User.full_name))
    return render_template("admin/users.html", users=list(rows))


@bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user_form(user_id):
    user = User.get_or_none(User.id == user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    departments = list(Department.select().where(Department.active).order_by(Department.name))
    form = UserForm(departments)
    if request.method == "GET" and user:
        form.username.data, form.full_name.data, form.email.data = (
            user.username, user.full_name, user.email)
        form.roles.data = sorted(user.role_set)
        form.department.data = str(user.department_id or "")
        form.active.data = user.active
    if form.validate_on_submit():
        try:
            if user is None:
                accounts.create_user(
                    username=form.username.data, full_name=form.full_name.data,
                    email=form.email.data, roles=form.roles.data,
                    department_id=form.department.data, password=form.password.data or "",
                    actor=current_user._get_current_object())
            else:
                accounts.update_user(user.id, full_name=form.full_name.data,
                                     email=form.email.data, roles=form.roles.data,
                                     department_id=form.department.data,
                                     active=form.active.data, actor=current_user._get_current_object(),
                                     new_password=form.password.data or None)
        except DomainError as e:
            _attach(form, e)
        else:
            flash(_("The user was saved."), "success")
            return redirect_after_post(url_for("admin.users"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.get("/departments")
@admin_only
def departments():
    rows = Department.select().order_by(Department.active.desc(), Department.name)
    return render_template("admin/departments.html", departments=list(rows))


@bp.route("/departments/new", methods=["GET", "POST"], defaults={"dept_id": None})
@bp.route("/departments/<int:dept_id>", methods=["GET", "POST"])
@admin_only
def department_form(dept_id):
    dept = Department.get_or_none(Department.id == dept_id) if dept_id else None
    if dept_id and dept is None:
        abort(404)
    form = DepartmentForm(obj=dept if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            accounts.save_department(dept_id, name=form.name.data, name_zh=form.name_zh.data or "",
                                     active=form.active.data)
        except DomainError as e:
            _attach(form, e)
        else:
            flash(_("The department was saved."), "success")
            return redirect_after_post(url_for("admin.departments"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/department_form.html", form=form, dept=dept), status


def _settings_page(form=None, deadline_form=None, status=200):
    """The settings page: general settings and deadlines, two forms saved separately."""
    current = org_settings()
    return render_template(
        "admin/settings.html", form=form or SettingsForm(formdata=None, data=current),
        deadline_form=deadline_form or DeadlineForm(formdata=None, data=current)), status


@bp.route("/settings", methods=["GET", "POST"])
@admin_only
def settings():
    if request.method == "GET":
        return _settings_page()
    form = SettingsForm()
    if form.validate_on_submit():
        save_settings({name: form[name].data for name in (
            "org_name", "org_name_zh", "timezone", "number_prefix", "number_padding",
            "max_upload_mb")})
        flash(_("The settings were saved."), "success")
        return redirect_after_post(url_for("admin.settings"))
    return _settings_page(form=form, status=422)


@bp.post("/settings/deadlines")
@admin_only
def deadline_settings():
    form = DeadlineForm()
    if form.validate_on_submit():
        save_settings({name: form[name].data for name in DEADLINE_FIELDS})
        flash(_("The deadlines were saved. They apply to due dates set from now on."),
              "success")
        return redirect_after_post(url_for("admin.settings", _anchor="deadlines"))
    return _settings_page(deadline_form=form, status=422)
