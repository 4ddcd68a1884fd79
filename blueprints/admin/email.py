"""Administration → Email: the mail server settings, a test message, the outbox."""
from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import org_settings
from blueprints.admin import bp
from blueprints.admin.email_forms import SETTINGS_FIELDS, EmailSettingsForm
from blueprints.admin.views import _attach, admin_only
from blueprints.web import page_or_fragment, redirect_after_post
from domain import mail_admin, outbox
from domain.errors import DomainError
from domain.mail_models import OutboxMessage
from extensions import db

MAX_PAGE = 10_000


def _page_number() -> int:
    raw = request.args.get("page", "")
    return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() else 1


def _email_page(form=None, status=200):
    settings = org_settings()
    if form is None:
        form = EmailSettingsForm(formdata=None, data={
            k: v for k, v in settings.items() if k in SETTINGS_FIELDS and "password" not in k})
    page = mail_admin.outbox_page(request.args.get("view", "waiting"), _page_number(),
                                  current_app.config["PAGE_SIZE"])
    return page_or_fragment(
        "admin/email.html", "admin/_email_outbox.html", status, form=form, page=page,
        settings=settings, kinds=mail_admin.MAIL_KINDS, labels=mail_admin.OUTBOX_LABELS,
        has_password={k: bool(settings.get(k)) for k in ("smtp_password", "imap_password")})


@bp.get("/email")
@admin_only
def email():
    return _email_page()


@bp.post("/email")
@admin_only
def email_settings():
    form = EmailSettingsForm()
    if form.validate_on_submit():
        try:
            mail_admin.save_mail_settings({k: form[k].data for k in SETTINGS_FIELDS},
                                          org_settings())
        except DomainError as e:
            _attach(form, e)
        else:
            flash(_("The email settings were saved."), "success")
            return redirect_after_post(url_for("admin.email"))
    return _email_page(form, 422)


@bp.post("/email/test")
@admin_only
def email_test():
    settings = org_settings()
    if not outbox.sending_configured(settings):
        flash(_("Email is off: turn it on and enter the mail server first."), "error")
    elif not outbox.usable_address(current_user.email):
        flash(_("Your account has no email address to send the test to."), "error")
    else:
        with db.atomic():
            outbox.queue_test(current_user, settings)
        flash(_("A test message to %(address)s is queued. It goes out with the next run of "
                "send-mail.", address=current_user.email), "success")
    return redirect_after_post(url_for("admin.email"))


@bp.post("/email/outbox/<int:message_id>/retry")
@admin_only
def email_retry(message_id):
    message = OutboxMessage.get_or_none(OutboxMessage.id == message_id)
    if message is None:
        abort(404)
    if message.status == "failed":
        outbox.retry(message.id)
        flash(_("The message to %(address)s is queued again.", address=message.to_address),
              "success")
    return redirect_after_post(url_for("admin.email", view="failed"))
