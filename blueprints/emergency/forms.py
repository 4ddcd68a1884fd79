"""Forms of the emergency pages: activation (and drills) with the team picker, the log,
statements, team changes, stand-down and lessons."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateTimeLocalField, HiddenField, RadioField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from blueprints.forms_common import no_markup, strip_filter
from domain.emergency import STATEMENT_CHANNELS
from domain.vocab import EMERGENCY_LEVELS, TEAM_ROLES

S = [strip_filter]


def options(pairs) -> list:
    return [SelectChoice(value, label) for value, label in pairs]


def _text(label, required=True, rows=3, limit=5000, description=None):
    validators = ([DataRequired()] if required else [Optional()]) + [Length(max=limit), no_markup]
    return TextAreaField(label, filters=S, validators=validators, render_kw={"rows": rows},
                         description=description)


def _team_field(role):
    return SelectMultipleField(TEAM_ROLES[role], coerce=int, validators=[Optional()],
                               render_kw={"size": 6})


class TeamForm(FlaskForm):
    """Level, situation and the team: one multi-select of active staff per role."""
    level = RadioField(_l("Response level"), choices=options(EMERGENCY_LEVELS.items()),
                       validators=[InputRequired(message=_l("Choose the level of the response."))])
    team_coordination = _team_field("coordination")
    team_on_site = _team_field("on_site")
    team_negotiation = _team_field("negotiation")
    team_analysis = _team_field("analysis")
    team_statement = _team_field("statement")
    team_logistics = _team_field("logistics")

    def set_people(self, people) -> None:
        choices = options([(u.id, u.full_name) for u in people])
        for role in TEAM_ROLES:
            self[f"team_{role}"].choices = choices

    def team_fields(self):
        return [self[f"team_{role}"] for role in TEAM_ROLES]

    def team(self) -> list[tuple[int, str]]:
        return [(user_id, role) for role in TEAM_ROLES
                for user_id in (self[f"team_{role}"].data or [])]


class ActivateForm(TeamForm):
    title = StringField(_l("Situation"), filters=S,
                        validators=[DataRequired(), Length(max=200), no_markup],
                        description=_l("One line: what is happening, where."))


class DrillForm(TeamForm):
    scenario = StringField(_l("Drill scenario"), filters=S,
                           validators=[DataRequired(), Length(max=200), no_markup],
                           description=_l("The imagined situation the team practises on."))


class LogForm(FlaskForm):
    text = _text(_l("What was done"), rows=2, limit=2000)
    happened_at = DateTimeLocalField(_l("When it happened (if not just now)"),
                                     format="%Y-%m-%dT%H:%M", validators=[Optional()])


class StatementForm(FlaskForm):
    channel = SelectField(_l("Issued through"), validators=[InputRequired(message=_l(
        "Choose where the statement was issued."))])
    text = _text(_l("Text of the statement"), rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = options([("", _l("Choose…"))] + list(STATEMENT_CHANNELS.items()))


class VersionForm(FlaskForm):
    version = HiddenField()

    def posted_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class AddMemberForm(VersionForm):
    user = SelectField(_l("Person"), coerce=int,
                       validators=[InputRequired(message=_l("Choose a person."))])
    role = SelectField(_l("Role"), validators=[InputRequired(message=_l("Choose a role."))])

    def set_people(self, people) -> None:
        self.user.choices = options([(0, _l("Choose…"))] + [(u.id, u.full_name) for u in people])
        self.role.choices = options([("", _l("Choose…"))] + list(TEAM_ROLES.items()))


class RemoveMemberForm(VersionForm):
    member = HiddenField()


class StandDownForm(VersionForm):
    summary = _text(_l("Summary of the outcome"), rows=4)
    lessons = _text(_l("Lessons learned"), required=False, rows=4,
                    description=_l("Above all for drills: what worked, what to change in "
                                   "the plan."))


class LessonsForm(VersionForm):
    lessons = _text(_l("Lessons learned"), rows=4)
