"""Forms of the first steps: assessment, acceptance or rejection, assignment, receipt."""
from flask_babel import get_locale, lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional

from domain.models import Department, User
from domain.vocab import NATURES, SEVERITIES, URGENCIES
from blueprints.complaints.action_forms.base import (ActionForm, CHOOSE, _choices, _int_or_none,
                                                     _options, text)


class AssessForm(ActionForm):
    nature = SelectField(_l("Nature"), validators=[InputRequired(
        message=_l("Choose the nature from the list."))])
    severity = SelectField(_l("Severity"), choices=_choices(SEVERITIES),
                           validators=[InputRequired()])
    urgency = SelectField(_l("Urgency"), choices=_choices(URGENCIES),
                          validators=[InputRequired()])

    def prepare(self, complaint):
        self.nature.choices = _choices(NATURES, CHOOSE)

    @classmethod
    def defaults(cls, complaint, today):
        return {"nature": complaint.nature or "", "severity": complaint.severity,
                "urgency": complaint.urgency}

    def arguments(self):
        return {"nature": self.nature.data, "severity": self.severity.data,
                "urgency": self.urgency.data}


class NoteForm(ActionForm):
    """An optional note: accept, accept the result, close."""
    note = text(_l("Note (optional)"))

    def arguments(self):
        return {"note": self.note.data or ""}


class RejectForm(ActionForm):
    reason = text(_l("Reason for not accepting"), rows=4,
                  required=_l("Write the reason for not accepting the complaint."),
                  description=_l("Outside the organisation's remit, or unfounded. The reason "
                                 "goes into the written explanation to the complainant."))

    def arguments(self):
        return {"reason": self.reason.data}


# --- assignment ----------------------------------------------------------------------------

class AssignForm(ActionForm):
    department = SelectField(_l("Department"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose a department from the list."))])
    requirements = text(_l("Handling requirements"))
    due_on = DateField(_l("Due date"), validators=[Optional()], description=_l(
        "Leave empty for the default from the settings."))

    def prepare(self, complaint):
        locale = str(get_locale())
        self.department.choices = _options([("", CHOOSE)] + [
            (d.id, d.label(locale)) for d in Department.select().where(Department.active)
            .order_by(Department.name) if d.id != self._exclude(complaint)])

    def _exclude(self, complaint):
        return None

    def arguments(self):
        return {"department_id": self.department.data,
                "requirements": self.requirements.data or "", "due_on": self.due_on.data}


class TransferForm(AssignForm):
    reason = text(_l("Reason for the transfer"), required=_l(
        "Say why the complaint is transferred."))

    def _exclude(self, complaint):
        return complaint.department_id

    def arguments(self):
        return {**super().arguments(), "reason": self.reason.data}


class ConfirmReceiptForm(ActionForm):
    investigator = SelectField(_l("Investigator"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose an investigator of this department."))])

    def prepare(self, complaint):
        people = (User.select().where(User.active & (User.department == complaint.department_id))
                  .order_by(User.full_name)) if complaint.department_id else []
        self.investigator.choices = _options([("", CHOOSE)] + [
            (u.id, u.full_name) for u in people if u.has_role("investigator")])

    def arguments(self):
        return {"investigator_id": self.investigator.data}


# --- investigation -------------------------------------------------------------------------
