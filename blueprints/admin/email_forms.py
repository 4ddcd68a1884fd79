"""The Email settings form (sending through SMTP, intake from an IMAP mailbox)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from blueprints.forms_common import no_markup, strip_filter
from domain.mail_admin import SECURITY

S = [strip_filter]
KEEP = _l("Leave empty to keep the stored password.")


def _text(label, max_length=254, **kw):
    return StringField(label, filters=S, validators=[Optional(), Length(max=max_length),
                                                     no_markup], **kw)


def _port(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=1, max=65535)])


def _password(label):
    return PasswordField(label, validators=[Optional(), Length(max=256)], description=KEEP,
                         render_kw={"autocomplete": "new-password"})


class EmailSettingsForm(FlaskForm):
    email_enabled = BooleanField(_l("Send email (acknowledgements, responses, staff notices)"))
    smtp_host = _text(_l("Mail server (SMTP)"), description=_l("For example smtp.example.org."))
    smtp_port = _port(_l("Port"))
    smtp_security = SelectField(_l("Encryption"))
    smtp_username = _text(_l("User name"), description=_l("Empty if the server needs none."))
    smtp_password = _password(_l("Password"))
    # "Name <address>" is not markup: checked by domain/mail_admin.py instead.
    mail_from = StringField(_l("Messages come from"), filters=S,
                            validators=[Optional(), Length(max=300)],
                            description=_l("For example: Complaints <complaints@example.org>."))
    imap_enabled = BooleanField(_l("Register complaints from a mailbox (IMAP)"))
    imap_host = _text(_l("Mailbox server (IMAP)"))
    imap_port = _port(_l("Port"))
    imap_security = SelectField(_l("Encryption"))
    imap_username = _text(_l("User name"))
    imap_password = _password(_l("Password"))
    imap_folder = _text(_l("Folder"), 200, description=_l("Usually INBOX."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.smtp_security.choices = list(SECURITY.items())
        self.imap_security.choices = list(SECURITY.items())


SETTINGS_FIELDS = ("email_enabled", "smtp_host", "smtp_port", "smtp_security", "smtp_username",
                   "smtp_password", "mail_from", "imap_enabled", "imap_host", "imap_port",
                   "imap_security", "imap_username", "imap_password", "imap_folder")
