"""Forms of the investigation: extensions, the report, the proposal."""
from flask_babel import get_locale, lazy_gettext as _l
from wtforms import (DateField, DecimalField, FieldList, Form, FormField, IntegerField,
                     SelectField, StringField)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, Regexp

from blueprints.forms_common import strip_filter
from domain.models import User
from domain.stage_models import RootCause
from domain.vocab import FACT_VERDICTS, INVESTIGATION_METHODS, REMEDY_KINDS
from blueprints.complaints.action_forms.base import (ActionForm, CHOOSE, CheckboxList, Radio, ROWS,
                                                     _choices, _int_or_none, _options, line, text)


class RequestExtensionForm(ActionForm):
    days = IntegerField(_l("Extra working days"), validators=[
        InputRequired(message=_l("Ask for at least one working day.")),
        NumberRange(min=1, max=60, message=_l("Ask for at least one working day."))],
        render_kw={"inputmode": "numeric", "min": 1})
    reason = text(_l("Reason"), required=_l("Give the reason for the extension."))

    def arguments(self):
        return {"days": self.days.data, "reason": self.reason.data}


class DecideExtensionForm(ActionForm):
    decision = Radio(_l("Decision"), choices=_options([
        ("approve", _l("Approve the extension")), ("refuse", _l("Refuse the extension"))]),
        validators=[InputRequired(message=_l("Choose approve or refuse."))])
    comment = text(_l("Comment"), description=_l("Required when refusing."))

    def arguments(self):
        return {"approve": self.decision.data == "approve", "comment": self.comment.data or ""}


class InvestigationForm(ActionForm):
    methods = CheckboxList(_l("Methods used"), choices=_choices(INVESTIGATION_METHODS),
                           validators=[DataRequired(
                               message=_l("Choose at least one investigation method."))])
    facts_verdict = Radio(_l("Are the facts complained of true?"),
                          choices=_choices(FACT_VERDICTS), validators=[
                              InputRequired(message=_l("Say whether the facts are true."))])
    facts_text = text(_l("Facts found"), rows=5, required=_l("Describe the facts found."))
    root_cause = SelectField(_l("Root cause"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose the root cause from the list."))])
    root_cause_text = text(_l("Root cause in detail"))
    impact_customer = text(_l("Impact on the customer"), rows=2)
    impact_reputation = text(_l("Impact on the organisation's reputation"), rows=2)
    impact_business = text(_l("Impact on the business"), rows=2)

    def prepare(self, complaint):
        locale = str(get_locale())
        self.root_cause.choices = _options([("", CHOOSE)] + [
            (r.id, r.label(locale)) for r in RootCause.select().where(RootCause.active)
            .order_by(RootCause.id)])

    def arguments(self):
        return {"methods": self.methods.data, "facts_verdict": self.facts_verdict.data,
                "facts_text": self.facts_text.data, "root_cause_id": self.root_cause.data,
                "root_cause_text": self.root_cause_text.data or "",
                "impact_customer": self.impact_customer.data or "",
                "impact_reputation": self.impact_reputation.data or "",
                "impact_business": self.impact_business.data or ""}


class RemedyRow(Form):
    kind = SelectField(_l("Kind"), choices=_choices(REMEDY_KINDS, _l("None")), default="")
    amount = DecimalField(_l("Amount"), places=2, validators=[
        Optional(), NumberRange(min=0, max=999_999_999,
                                message=_l("An amount cannot be negative."))],
        render_kw={"inputmode": "decimal"})
    currency = StringField(_l("Currency"), filters=[strip_filter], default="CNY", validators=[
        Optional(), Regexp(r"^[A-Za-z]{3}$", message=_l("Three letters, such as CNY."))],
        render_kw={"size": 3, "maxlength": 3, "autocomplete": "off"})
    description = line(_l("Description"), max_length=1000)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.kind.data and (self.amount.data is not None or self.description.data):
            self.kind.errors.append(_l("Choose the kind of remedy from the list."))
            return False
        return valid


class MeasureRow(Form):
    description = line(_l("Measure"), max_length=1000)
    owner = SelectField(_l("Person responsible"), coerce=_int_or_none, validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.description.data and (self.owner.data or self.due_on.data):
            self.description.errors.append(_l("Describe the measure."))
            return False
        return valid


class ProposalForm(ActionForm):
    groups = ("remedies", "measures")
    apology = text(_l("Apology and explanation"), rows=4)
    responsibility = text(_l("Responsibility finding"), rows=3)
    remedies = FieldList(FormField(RemedyRow), min_entries=ROWS, max_entries=ROWS)
    measures = FieldList(FormField(MeasureRow), min_entries=ROWS, max_entries=ROWS)

    def prepare(self, complaint):
        owners = _options([("", CHOOSE)] + [
            (u.id, u.full_name) for u in User.select().where(User.active)
            .order_by(User.full_name)])
        for row in self.measures:
            row.form.owner.choices = owners

    def arguments(self):
        return {
            "apology": self.apology.data or "", "responsibility": self.responsibility.data or "",
            "remedies": [{"kind": r.kind.data, "amount": r.amount.data,
                          "currency": r.currency.data or "CNY",
                          "description": r.description.data or ""}
                         for r in (row.form for row in self.remedies) if r.kind.data],
            "measures": [{"description": m.description.data, "owner_id": m.owner.data,
                          "due_on": m.due_on.data}
                         for m in (row.form for row in self.measures) if m.description.data],
        }


# --- approval ------------------------------------------------------------------------------
