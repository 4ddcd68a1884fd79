"""Builders shared by the accountability tests (no tests in here): the people around a
record and a record taken to any status through the domain functions."""
import datetime as dt
from dataclasses import dataclass

from domain import accountability as acc
from domain.oversight_models import AccountabilityRecord
from tests.conftest import PNG
from tests.workflow_helpers import Cast, make_cast, quick_user

STATUS_ORDER = ("investigating", "proposed", "decided", "appealed", "final")


@dataclass
class World:
    cast: Cast
    person: object        # the staff member the record is about (investigator, dept A)
    own_head: object      # head of the person's own department (dept A): may not see it
    app: object

    def who(self, role: str):
        """Each role of the confidentiality matrix as one user."""
        c = self.cast
        return {"intake": c.intake, "investigator": c.investigator,
                "dept_head": c.other_head, "leader": c.leader, "manager": c.manager,
                "auditor": c.auditor, "admin": c.admin, "person": self.person,
                "own_head": self.own_head}[role]


def make_world(app) -> World:
    cast = make_cast(app)
    person = quick_user("investigator", cast.dept)
    return World(cast=cast, person=person, own_head=cast.head, app=app)


def open_record(world: World, complaint=None, files=(("proof.png", PNG),), **extra):
    return acc.open_record(world.cast.manager, world.person, extra.get("level", "direct"),
                           extra.get("findings", "未按规定时限回复客户，导致投诉升级。"),
                           complaint=complaint, files=list(files),
                           upload_dir=world.app.config["UPLOAD_DIR"])


def record_at(world: World, status: str, complaint=None, sanction="fine",
              amount="500") -> AccountabilityRecord:
    """A record taken to `status` by the people whose steps they are."""
    c = world.cast
    record = open_record(world, complaint)
    if status == "investigating":
        return record
    record = acc.propose(record, c.manager, sanction, amount if sanction == "fine" else None,
                         "情节较轻，建议经济处罚。", record.version)
    if status == "proposed":
        return record
    record = acc.decide(record, c.leader, None, None, "同意处理意见。", record.version)
    if status == "decided":
        return record
    record = acc.appeal(record, world.person, "客户延误是物流原因造成的。", record.version)
    if status == "appealed":
        return record
    return acc.decide_appeal(record, c.leader, "upheld", None, None, "维持原决定。",
                             record.version)


def day_after_due(record) -> dt.date:
    return record.appeal_due_on + dt.timedelta(days=1)
