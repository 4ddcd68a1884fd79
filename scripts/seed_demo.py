"""Demo data: an organisation, 4 departments, one user per role, 60 complaints in every
state and channel, half of them in Chinese. Run through `flask --app app seed-demo`.

Every complaint is registered with domain.intake and then taken to its state by the real
domain.workflow actions, each one by the demo user whose role it is (intake staff assess,
accept, assign and answer; the department head confirms receipt, reviews and tracks the
measures; the investigator reports and proposes; the leader approves; the manager closes and
archives). So the history, stage records, notifications and due dates are the ones the app
itself writes. Deterministic apart from the lookup codes and the clock.
"""
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from extensions import db
from domain import accounts, deadlines, intake, workflow
from domain.models import Complaint, utcnow
from domain.settings import load_settings, save_settings
from domain.stage_models import Proposal, RootCause
from scripts.demo_texts import CASES, TEXT

DEMO_PASSWORD = "demo-password-1"

DEPARTMENTS = [
    ("Customer Service", "客户服务部"),
    ("Quality", "质量管理部"),
    ("Logistics", "物流配送部"),
    ("Stores", "门店运营部"),
]

USERS = [  # username, name, roles, department index
    ("admin", "Alex Admin", ["admin"], None),
    ("intake", "李娜 (Li Na)", ["intake"], 0),
    ("investigator", "王强 (Wang Qiang)", ["investigator"], 1),
    ("head", "陈静 (Chen Jing)", ["dept_head"], 1),
    ("leader", "赵伟 (Zhao Wei)", ["leader"], None),
    ("manager", "Morgan Manager", ["manager"], None),
    ("auditor", "Avery Auditor", ["auditor"], None),
    ("logistics", "刘洋 (Liu Yang)", ["investigator", "dept_head"], 2),
]

# ---------------------------------------------------------------------------------------
# The cases. A case is one complaint's story: what the complainant says and what the
# investigation finds and proposes. Remedy descriptions take the amount as {amount};
# measures are (description, owner username, working days from today).
# "quality" cases go to the Quality department; "logistics" cases to Logistics (whose head
# is also its only investigator, so they stop before the department review); "transfer"
# cases go to Logistics first and are transferred to Quality.


# ---------------------------------------------------------------------------------------
# The scenarios: (kind of case, the steps after registration). Complaints alternate
# Chinese / English in this order. The status each one ends in is noted on the right.
_R = "assess accept assign receive"
_P = _R + " investigate propose"
_A = _P + " review approve"
_E = _A + " respond accept_result"
_V = _E + " done_all complete"
SCENARIOS = [
    ("quality", ""),                                                  # registered
    ("quality", ""),                                                  # registered
    ("group", "assess"),                                              # registered
    ("quality", "assess"),                                            # registered
    ("reject", "assess reject"),                                      # rejected
    ("reject", "assess reject"),                                      # rejected
    ("reject", "assess reject"),                                      # rejected
    ("reject", "assess reject"),                                      # rejected
    ("quality", "assess accept"),                                     # accepted
    ("quality", "assess accept"),                                     # accepted
    ("quality", "assess accept"),                                     # accepted
    ("quality", "assess accept"),                                     # accepted
    ("quality", "assess accept assign"),                              # assigned
    ("logistics", "assess accept assign"),                            # assigned
    ("transfer", "assess accept assign transfer"),                    # assigned (transferred)
    ("quality", "assess accept assign overdue"),                      # assigned, receipt overdue
    ("quality", _R),                                                  # investigating
    ("quality", _R + " ext_request"),                                 # investigating, extension pending
    ("quality", _R + " overdue"),                                     # investigating, overdue
    ("quality", _P + " return1"),                                     # investigating, proposal returned
    ("quality", _A + " respond appeal"),                              # investigating, on appeal
    ("quality", _V + " visit_bad reopen"),                            # investigating, reopened
    ("quality", _R + " investigate"),                                 # proposing
    ("quality", _R + " ext_request ext_approve investigate"),         # proposing, extension approved
    ("logistics", _R + " investigate"),                               # proposing (Logistics)
    ("quality", _R + " ext_request ext_refuse investigate"),          # proposing, extension refused
    ("quality", _P),                                                  # reviewing
    ("quality", _P),                                                  # reviewing
    ("group", _P),                                                    # reviewing
    ("transfer", "assess accept assign transfer receive investigate propose"),  # reviewing
    ("quality", _P + " review"),                                      # approving
    ("group", _P + " review"),                                        # approving
    ("quality", _P + " review"),                                      # approving
    ("quality", _P + " review"),                                      # approving
    ("quality", _A),                                                  # approved
    ("quality", _A),                                                  # approved
    ("quality", _A),                                                  # approved
    ("quality", _A + " overdue"),                                     # approved, reply overdue
    ("quality", _A + " respond"),                                     # responded
    ("quality", _A + " respond"),                                     # responded
    ("quality", _A + " respond"),                                     # responded
    ("quality", _A + " respond mediation"),                           # external
    ("quality", _A + " respond mediation"),                           # external
    ("quality", _A + " respond arbitration"),                         # external
    ("quality", _E),                                                  # executing
    ("quality", _E + " done_one waive"),                              # executing
    ("quality", _A + " respond mediation outcome"),                   # executing
    ("quality", _A + " respond appeal investigate propose review approve respond accept_result"),
    ("quality", _V),                                                  # visiting
    ("quality", _V + " visit_bad"),                                   # visiting, dissatisfied
    ("quality", _V + " overdue"),                                     # visiting, visit overdue
    ("quality", _P + " review return2 investigate propose review approve respond accept_result"
                     " done_all complete"),                           # visiting
    ("quality", _V + " visit_ok close"),                              # closed
    ("group", _V + " visit_ok close"),                                # closed
    ("quality", _V + " visit_bad reopen investigate propose review approve respond accept_result"
                     " done_all complete visit_ok close"),            # closed
    ("quality", _A + " respond mediation outcome done_all complete visit_ok close"),  # closed
    ("quality", _V + " visit_ok close archive"),                      # archived
    ("quality", _V + " visit_ok close archive"),                      # archived
    ("transfer", "assess accept assign transfer receive investigate propose review approve"
                 " respond accept_result done_all complete visit_ok close archive"),  # archived
    ("reject", "assess reject archive"),                              # archived
]

CHANNEL_TURN = ["hotline", "online", "email", "walk_in", "letter", "hotline", "regulator",
                "online", "walk_in"]


def seed(upload_dir: Path, complaints: int = len(SCENARIOS), rng_seed: int = 7,
         document_dir: Path | None = None) -> None:
    """Create the demo organisation, users and complaints (the first `complaints` scenarios).
    One transaction: a failure leaves the database as it was."""
    rng = random.Random(rng_seed)
    with db.atomic():
        save_settings({"org_name": "Harbour Home Appliances Ltd", "org_name_zh": "港湾家电有限公司",
                       "org_address": "1200 Century Avenue, Pudong, Shanghai",
                       "org_address_zh": "上海市浦东新区世纪大道1200号",
                       "org_phone": "400-820-1234", "org_email": "service@harbour-home.example"})
        settings = load_settings()
        depts = [accounts.save_department(None, name=en, name_zh=zh) for en, zh in DEPARTMENTS]
        users = {}
        for username, name, roles, dept in USERS:
            users[username] = accounts.create_user(
                username=username, full_name=name, email=f"{username}@example.org", roles=roles,
                department_id=depts[dept].id if dept is not None else None,
                password=DEMO_PASSWORD)
        world = _World(settings, users, {"Quality": depts[1], "Logistics": depts[2]}, rng,
                       upload_dir)
        for i, (kind, steps) in enumerate(SCENARIOS[:complaints]):
            world.story(i, "zh" if i % 2 == 0 else "en", kind, steps.split())
        _around_the_workflow(users, upload_dir, document_dir)
    # Anonymising compacts the search index and the write-ahead log: outside the transaction.
    from scripts import demo_hardening, demo_privacy
    demo_privacy.seed(users, list(Complaint.select().order_by(Complaint.id)))
    demo_hardening.seed(users, [])  # sign-ins and permission changes for the audit page


def _around_the_workflow(users, upload_dir, document_dir) -> None:
    """Part D's records, made through their domain functions: group details and emergency
    responses (a drill too), improvement plans and accountability records (which need a
    handful of complaints to refer to), two complaints that arrived by email and two sent
    through the online form (with the acknowledgement letter when `document_dir` is given)."""
    from scripts import (demo_accountability, demo_emergency, demo_mail, demo_plans,
                         demo_public)
    complaints = list(Complaint.select().order_by(Complaint.id))
    if len(complaints) >= 4:
        demo_emergency.seed(users, complaints)
        demo_plans.seed(users, complaints)
        demo_accountability.seed(users, complaints)
        demo_mail.seed(users, complaints, upload_dir)
        demo_public.seed(users, complaints, upload_dir, document_dir)


class _World:
    """What the stories share: settings, users, departments, the random source, counters."""

    def __init__(self, settings, users, depts, rng, upload_dir):
        self.settings, self.users, self.depts, self.rng = settings, users, depts, rng
        self.upload_dir = upload_dir
        self.calendar = deadlines.load_calendar(settings)
        self.now = utcnow()
        self.today = deadlines.local_date(self.now, settings)
        self.causes = {c.code: c.id for c in RootCause.select()}
        self.turn = {}       # (language, kind) → next case index
        self.channel_turn = 0
        self.refs = 100

    def pick_case(self, lang, kind):
        pool = CASES[lang][kind]
        n = self.turn.get((lang, kind), 0)
        self.turn[(lang, kind)] = n + 1
        return pool[n % len(pool)]

    def channel(self, kind):
        if kind == "group":
            return "group_visit"
        channel = CHANNEL_TURN[self.channel_turn % len(CHANNEL_TURN)]
        self.channel_turn += 1
        return channel

    def story(self, i, lang, kind, steps):
        Story(self, i, lang, kind, self.pick_case(lang, kind), steps).run()


class Story:
    """One demo complaint: registered, then taken through `steps` by the workflow actions."""

    def __init__(self, world, i, lang, kind, case, steps):
        self.w, self.i, self.lang, self.kind, self.case, self.steps = (
            world, i, lang, kind, case, steps)
        self.t = TEXT[lang]
        self.rng = world.rng
        self.round = 0
        # Logistics and transfer cases start in Logistics; a transfer moves them to Quality.
        self.dept = "Quality" if kind in ("quality", "group", "reject") else "Logistics"

    # -- helpers ---------------------------------------------------------------------------
    def user(self, name):
        return self.w.users[name]

    @property
    def head(self):
        return self.user("head" if self.dept == "Quality" else "logistics")

    @property
    def investigator(self):
        return self.user("investigator" if self.dept == "Quality" else "logistics")

    def act(self, action, who, **kwargs):
        fn = getattr(workflow, action)
        self.c = fn(self.c.id, self.user(who) if isinstance(who, str) else who, self.c.version,
                    self.w.settings, **kwargs)

    def pick(self, options):
        return options[self.rng.randrange(len(options))]

    def open_items(self):
        proposal = Proposal.get((Proposal.complaint == self.c.id) & Proposal.current)
        return ([("remedy", r) for r in proposal.remedies if not (r.done_at or r.waived)]
                + [("measure", m) for m in proposal.measures if not (m.done_at or m.waived)])

    # -- registration ----------------------------------------------------------------------
    def register(self):
        rng, case, t, w = self.rng, self.case, self.t, self.w
        channel = w.channel(self.kind)
        # Older complaints have travelled further: about 2½ days per step, none in the future.
        if self.steps:
            received = w.now - dt.timedelta(days=2.5 * len(self.steps) + rng.uniform(0, 2))
        else:
            received = w.now - dt.timedelta(hours=rng.uniform(2, 20))
        received = received.replace(microsecond=0)
        name = self.pick(t["names"])
        order = case.get("order_ref") or f"SO-{w.today.year}{rng.randint(100000, 999999)}"
        amount = case.get("amount")
        data = {
            "channel": channel, "received_at": received,
            "language": "zh_Hans" if self.lang == "zh" else "en",
            "complainant_name": name,
            "complainant_phone": f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
            "complainant_email": (f"customer{self.i + 1}@example.com"
                                  if channel in ("email", "online") or self.i % 3 == 0 else ""),
            "complainant_address": self.pick(t["addresses"]),
            "matter": case["matter"], "demand": case["demand"], "order_ref": order,
            "amount_claimed": Decimal(amount) if amount else None,
            # Nature and urgency are left to the preliminary assessment (the "assess" step).
            "nature": "", "severity": "group" if channel == "group_visit" else "ordinary",
            "urgency": "normal",
            "regulator_name": "12315 全国消费者投诉举报平台" if channel == "regulator" else "",
            "regulator_ref": (f"12315-{w.today.year}-{rng.randint(1000000, 9999999)}"
                              if channel == "regulator" else ""),
            "regulator_due": received + dt.timedelta(days=15) if channel == "regulator" else None,
        }
        files = []
        if self.i % 3 == 1:
            file_name, template = t["evidence"]
            files = [(file_name, template.format(order=order, name=name,
                                                 matter=case["matter"]).encode())]
        complaint, _code = intake.register(data, self.user("intake"), files,
                                           settings=w.settings, upload_dir=w.upload_dir,
                                           max_bytes=10 * 1024 * 1024)
        # Demo only: register() stamps the registration "now"; put it a few hours after the
        # backdated receipt, as if it had been registered on time. The events keep their times.
        registered = min(received + dt.timedelta(minutes=rng.randint(10, 300)), w.now)
        Complaint.update(registered_at=registered).where(Complaint.id == complaint.id).execute()
        self.c = complaint

    def run(self):
        self.register()
        for step in self.steps:
            getattr(self, "do_" + step)()

    # -- intake, assessment, assignment ----------------------------------------------------
    def do_assess(self):
        self.act("assess", "intake", nature=self.case["nature"],
                 severity=self.case.get("severity", "ordinary"),
                 urgency=self.case.get("urgency", "normal"))

    def do_accept(self):
        self.act("accept", "intake")

    def do_reject(self):
        self.act("reject", "intake", reason=self.case["reason"])

    def do_assign(self):
        reqs = self.t["requirements"]
        text = reqs[2] if self.case.get("severity") in ("major", "group") else self.pick(reqs[:2])
        self.act("assign", "intake", department_id=self.w.depts[self.dept].id, requirements=text)

    def do_transfer(self):
        self.act("transfer", "logistics", department_id=self.w.depts["Quality"].id,
                 reason=self.case["transfer_reason"], requirements=self.t["requirements"][1])
        self.dept = "Quality"

    def do_receive(self):
        self.act("confirm_receipt", self.head, investigator_id=self.investigator.id)

    # -- investigation and proposal --------------------------------------------------------
    def do_ext_request(self):
        self.act("request_extension", self.investigator, days=5,
                 reason=self.pick(self.t["ext_reason"]))

    def do_ext_approve(self):
        self.act("decide_extension", self.head, approve=True, comment=self.t["ext_ok"])

    def do_ext_refuse(self):
        self.act("decide_extension", self.head, approve=False, comment=self.t["ext_no"])

    def do_investigate(self):
        self.round += 1
        case, again = self.case, self.round > 1
        self.act("submit_investigation", self.investigator, methods=case["methods"],
                 facts_verdict=case["verdict"],
                 facts_text=(self.t["revised"] if again else "") + case["facts"],
                 root_cause_id=self.w.causes[case["cause"]], root_cause_text=case["cause_text"],
                 impact_customer=case["impact"][0], impact_reputation=case["impact"][1],
                 impact_business=case["impact"][2])

    def do_propose(self):
        case, again = self.case, self.round > 1
        remedies = []
        for kind, amount, text in case["remedies"]:
            # A proposal reworked after a return, an appeal or a reopening pays 50 % more.
            if amount is not None and again and kind == "payment":
                amount = amount * 3 // 2
            remedies.append({"kind": kind, "currency": "CNY",
                             "amount": Decimal(amount) if amount is not None else None,
                             "description": text.format(amount=amount)})
        measures = [{"description": text, "owner_id": self.user(owner).id,
                     "due_on": self.w.calendar.add_working_days(self.w.today, days)}
                    for text, owner, days in case["measures"]]
        self.act("submit_proposal", self.investigator, apology=case["apology"],
                 responsibility=case["responsibility"]
                 + (self.t["revised_resp"] if again else ""),
                 remedies=remedies, measures=measures)

    # -- approval --------------------------------------------------------------------------
    def do_review(self):
        self.act("review", self.head, comment=self.pick(self.t["review"]))

    def do_return1(self):
        self.act("return_for_rework", self.head, comment=self.t["return1"])

    def do_return2(self):
        self.act("return_for_rework", "leader", comment=self.t["return2"])

    def do_approve(self):
        self.act("approve", "leader", comment=self.pick(self.t["approve"]))

    # -- after approval --------------------------------------------------------------------
    def do_respond(self):
        c = Complaint.get_by_id(self.c.id)
        sep = "，" if self.lang == "zh" else ", "
        recipient = c.complainant_name + sep + (c.complainant_address or c.complainant_email)
        method = "email" if c.complainant_email and self.rng.random() < 0.4 else self.pick(
            ["post", "in_person", "phone_then_letter"])
        self.act("record_response", "intake", method=method, sent_on=self.w.today,
                 recipient=recipient)

    def do_accept_result(self):
        self.act("accept_result", "intake", note=self.t["accept_note"])

    def do_appeal(self):
        self.act("appeal", "intake", reason=self.case.get("appeal") or self.t["appeal"])

    def _refer(self, kind, body_ref):
        self.w.refs += 37
        body, ref = body_ref
        self.act("refer_out", "intake", kind=kind, body=body,
                 reference=ref.format(year=self.w.today.year, n=self.w.refs))

    def do_mediation(self):
        self._refer("mediation", self.t["mediation"])

    def do_arbitration(self):
        self._refer("arbitration", self.t["arbitration"])

    def do_outcome(self):
        self.act("record_outcome", "intake", outcome=self.t["outcome"], ended_on=self.w.today)

    def do_done_one(self):
        kind, item = self.open_items()[0]
        self.act("mark_done", self.head, kind=kind, item_id=item.id,
                 note=self.pick(self.t["done"]))

    def do_waive(self):
        remedies = [(k, item) for k, item in self.open_items() if k == "remedy"]
        kind, item = remedies[-1] if remedies else self.open_items()[-1]
        self.act("waive", "leader", kind=kind, item_id=item.id, reason=self.t["waive"])

    def do_done_all(self):
        for kind, item in self.open_items():
            who = "manager" if kind == "measure" and self.rng.random() < 0.3 else self.head
            self.act("mark_done", who, kind=kind, item_id=item.id,
                     note=self.pick(self.t["done"]))

    def do_complete(self):
        self.act("complete_execution", self.head)

    def do_visit_ok(self):
        self.act("record_visit", "intake", method=self.pick(["phone", "phone", "questionnaire",
                                                             "on_site"]),
                 visited_on=self.w.today, satisfaction=self.pick([4, 5, 5]), resolved=True,
                 comments=self.case.get("visit_ok", ""))

    def do_visit_bad(self):
        self.act("record_visit", "intake", method="phone", visited_on=self.w.today,
                 satisfaction=self.pick([1, 2]), resolved=False,
                 comments=self.case.get("visit_bad", ""))

    def do_reopen(self):
        self.act("reopen", "manager", reason=self.t["reopen"])

    def do_close(self):
        self.act("close", "manager", note=self.t["close"])

    def do_archive(self):
        self.act("archive", "manager")

    def do_overdue(self):
        # Demo only: the workflow counts every deadline from today, so nothing seeded would
        # be overdue. For these few complaints the current stage's due date is moved into the
        # past (stage_due_on only: no event, status or version changes) so that the overdue
        # views and reminders have something to show.
        past = self.w.today - dt.timedelta(days=self.rng.randint(2, 6))
        Complaint.update(stage_due_on=past).where(Complaint.id == self.c.id).execute()
