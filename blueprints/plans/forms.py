"""Forms of improvement plans: the new plan (with repeated measure rows that work without
JavaScript), linking a complaint, adding a measure, marking one done, the review."""
from flask_babel import get_locale, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, FieldList, Form, FormField, HiddenField, RadioField,
                     SelectChoice, SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from blueprints.forms_common import no_markup, strip_filter
from domain.models import Department, User
from domain.stage_models import RootCause
from domain.vocab import NATURES, PLAN_CONCLUSIONS

S = [strip_filter]
ROWS = 3        # empty measure rows on a new plan
MAX_ROWS = 20


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(_l("Not a valid choice.")) from None


def text(label, required=None, max_length=5000, rows=3, **kwargs):
    validators = [DataRequired(message=required)] if required else [Optional()]
    return TextAreaField(label, filters=S, render_kw={"rows": rows}, validators=validators + [
        Length(max=max_length), no_markup], **kwargs)


def line(label, required=None, max_length=200, **kwargs):
    validators = [DataRequired(message=required)] if required else [Optional()]
    return StringField(label, filters=S, validators=validators + [
        Length(max=max_length), no_markup], **kwargs)


def choices():
    """Options shared by the forms: active users, departments and root causes."""
    locale = str(get_locale())
    blank = [("", str(_l("Choose…")))]
    return {
        "users": options(blank + [(u.id, u.full_name) for u in
                                  User.select().where(User.active).order_by(User.full_name)]),
        "departments": options([("", str(_l("None")))] + [
            (d.id, d.label(locale)) for d in
            Department.select().where(Department.active).order_by(Department.name)]),
        "root_causes": options([("", str(_l("Any")))] + [
            (r.id, r.label(locale)) for r in
            RootCause.select().where(RootCause.active).order_by(RootCause.id)]),
    }


def options(pairs) -> list:
    return [SelectChoice(value, label) for value, label in pairs]


class MeasureRow(Form):
    text = line(_l("Measure"), max_length=1000)
    department = SelectField(_l("Department"), coerce=_int_or_none, validators=[Optional()])
    owner = SelectField(_l("Person responsible"), coerce=_int_or_none, validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def filled(self) -> bool:
        return bool(self.text.data or self.owner.data or self.due_on.data)


def measure_dicts(rows) -> list[dict]:
    """The rows somebody filled in (empty rows are left out), for the domain."""
    return [{"row": i, "text": r.form.text.data, "department_id": r.form.department.data,
             "owner_id": r.form.owner.data, "due_on": r.form.due_on.data}
            for i, r in enumerate(rows) if r.form.filled()]


def _set_row_choices(rows, opts) -> None:
    for row in rows:
        row.form.owner.choices = opts["users"]
        row.form.department.choices = opts["departments"]


class PlanForm(FlaskForm):
    groups = ("measures",)
    parent = HiddenField()
    title = line(_l("Title"), required=_l("Give the plan a title."))
    problem = text(_l("Problem"), required=_l("Describe the problem."), rows=4)
    target = text(_l("Target"), required=_l("Give the target, e.g. how far complaints should "
                                            "fall and by when."), max_length=2000, rows=2,
                  description=_l("For example: complaints about delivery delays halved "
                                 "within 3 months."))
    root_cause = SelectField(_l("Root cause"), coerce=_int_or_none, validators=[Optional()])
    nature = SelectField(_l("Nature"), validators=[Optional()])
    department = SelectField(_l("Department"), coerce=_int_or_none, validators=[Optional()])
    owner = SelectField(_l("Plan owner"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose an active staff member."))])
    starts_on = DateField(_l("Starts on"), validators=[
        InputRequired(message=_l("Give the start date."))])
    ends_on = DateField(_l("Target date"), validators=[
        InputRequired(message=_l("Give the target date."))])
    complaints = line(_l("Complaints the plan is made from"), max_length=2000,
                      description=_l("Complaint numbers, separated by commas or spaces."))
    measures = FieldList(FormField(MeasureRow), min_entries=ROWS, max_entries=MAX_ROWS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = choices()
        self.root_cause.choices = opts["root_causes"]
        self.department.choices = opts["departments"]
        self.owner.choices = opts["users"]
        self.nature.choices = options([("", str(_l("Any")))] + list(NATURES.items()))
        _set_row_choices(self.measures, opts)
        self.group_errors = {}

    def add_row(self) -> None:
        if len(self.measures) < MAX_ROWS:
            self.measures.append_entry()
            _set_row_choices(self.measures, choices())

    def numbers(self) -> list[str]:
        raw = (self.complaints.data or "").replace("，", ",").replace("、", ",")
        return [n for n in raw.replace(",", " ").split() if n]

    def arguments(self) -> dict:
        return {"title": self.title.data, "problem": self.problem.data,
                "target": self.target.data, "root_cause": self.root_cause.data,
                "nature": self.nature.data or "", "department": self.department.data,
                "owner": self.owner.data, "starts_on": self.starts_on.data,
                "ends_on": self.ends_on.data, "measures": measure_dicts(self.measures)}


class VersionForm(FlaskForm):
    version = HiddenField()

    def posted_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class LinkForm(VersionForm):
    number = line(_l("Complaint number"), required=_l("Give the complaint's number."),
                  max_length=40)


class DoneForm(VersionForm):
    note = line(_l("Note (optional)"), max_length=2000)


class AddMeasureForm(VersionForm):
    text = line(_l("Measure"), required=_l("Describe the measure."), max_length=1000)
    department = SelectField(_l("Department"), coerce=_int_or_none, validators=[Optional()])
    owner = SelectField(_l("Person responsible"), coerce=_int_or_none, validators=[
        InputRequired(message=_l("Choose an active staff member."))])
    due_on = DateField(_l("Due date"), validators=[InputRequired(
        message=_l("Give the due date."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = choices()
        self.owner.choices = opts["users"]
        self.department.choices = opts["departments"]


class FollowUpForm(Form):
    title = line(_l("Title"))
    problem = text(_l("Problem"), rows=3)
    target = text(_l("Target"), max_length=2000, rows=2)
    owner = SelectField(_l("Plan owner"), coerce=_int_or_none, validators=[Optional()])
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Target date"), validators=[Optional()])
    measures = FieldList(FormField(MeasureRow), min_entries=ROWS, max_entries=MAX_ROWS)

    def given(self) -> bool:
        """Whether a follow-up plan is wanted: the title and problem come prefilled, so
        it is the measures that say so."""
        return any(r.form.filled() for r in self.measures)

    def arguments(self) -> dict:
        return {"title": self.title.data, "problem": self.problem.data,
                "target": self.target.data, "owner": self.owner.data,
                "starts_on": self.starts_on.data, "ends_on": self.ends_on.data,
                "measures": measure_dicts(self.measures)}


class Radio(RadioField):
    """Says only "choose" when nothing is chosen (not also "not a valid choice")."""

    def pre_validate(self, form):
        if self.raw_data:
            super().pre_validate(form)


class ReviewForm(VersionForm):
    groups = ("follow_up",)
    before_from = DateField(widget=HiddenInput(), validators=[InputRequired()])
    before_to = DateField(widget=HiddenInput(), validators=[InputRequired()])
    after_from = DateField(widget=HiddenInput(), validators=[InputRequired()])
    after_to = DateField(widget=HiddenInput(), validators=[InputRequired()])
    conclusion = Radio(_l("Conclusion"), choices=options(PLAN_CONCLUSIONS.items()),
        validators=[InputRequired(message=_l("Choose the conclusion."))])
    note = text(_l("Reviewer's note"), max_length=2000, rows=3)
    follow_up = FormField(FollowUpForm)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = choices()
        self.follow_up.form.owner.choices = opts["users"]
        _set_row_choices(self.follow_up.form.measures, opts)
        self.group_errors = {}

    def periods(self) -> dict:
        return {name: self[name].data for name in
                ("before_from", "before_to", "after_from", "after_to")}


def all_fields(form) -> dict:
    """Every field of a form by its name, rows and sub-forms included."""
    found = {}
    for f in form:
        found[f.name] = f
        if isinstance(f, FieldList):
            for entry in f.entries:
                found.update(all_fields(entry.form) if isinstance(entry, FormField) else
                             {entry.name: entry})
        elif isinstance(f, FormField):
            found.update(all_fields(f.form))
    return found


def add_error(form, name: str | None, message, prefix: str = "") -> None:
    """Show a domain refusal beside field `prefix + name`, above a group of rows, or above
    the form."""
    target = all_fields(form).get(prefix + name) if name else None
    if name in getattr(form, "groups", ()) or (prefix and name == "measures"):
        form.group_errors.setdefault(prefix + name, []).append(str(message))
    elif target is not None and not isinstance(target, HiddenField) and \
            not isinstance(target.widget, HiddenInput):
        target.errors = list(target.errors) + [str(message)]
    else:
        form.form_errors.append(str(message))
