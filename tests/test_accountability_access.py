"""Confidentiality of accountability records as a matrix: every role (plus the person
concerned, a head of the person's own department, and anonymous visitors) × every
accountability endpoint (page, fragment, PDF, evidence, export, the new-record page and
each step's POST). Someone who may not see a record gets 404 (its existence stays hidden);
someone who may see it but not take the step gets 403; anonymous visitors go to the login."""
import io

import pytest

from domain.oversight_models import AccountabilityRecord, AccountabilityView
from tests.conftest import PNG
from tests.test_accountability_support import make_world, record_at

ROLES = ("intake", "investigator", "dept_head", "leader", "manager", "auditor", "admin",
         "person", "own_head", "anonymous")
VIEWERS = {"leader", "manager", "admin", "person"}
READERS = {"leader", "manager", "admin"}

# endpoint → (status the record must have, method, who may, what a step posts)
ENDPOINTS = {
    "page": ("investigating", "GET", VIEWERS, None),
    "fragment": ("investigating", "GET", VIEWERS, None),
    "pdf": ("decided", "GET", VIEWERS, None),
    "evidence": ("investigating", "GET", VIEWERS, None),
    "export": ("investigating", "GET", READERS, None),
    "new": (None, "GET", {"manager"}, None),
    "new_post": (None, "POST", {"manager"}, None),
    "findings": ("investigating", "POST", {"manager"},
                 {"level": "primary", "findings": "补充调查结论。"}),
    "evidence_post": ("investigating", "POST", {"manager"}, {"note": "补充"}),
    "propose": ("investigating", "POST", {"manager"},
                {"sanction": "criticism", "note": "批评教育"}),
    "decide": ("proposed", "POST", {"leader"}, {"sanction": "", "note": ""}),
    "accept": ("decided", "POST", {"person"}, {}),
    "appeal": ("decided", "POST", {"person"}, {"text": "不服，申请复核。"}),
    "decide_appeal": ("appealed", "POST", {"leader"}, {"outcome": "upheld", "note": "维持"}),
}
STEP_OF = {"evidence_post": "evidence"}


def _request(client, endpoint, record, world):
    status, method, _who, data = ENDPOINTS[endpoint]
    if endpoint in ("page", "fragment"):
        headers = {"HX-Request": "true"} if endpoint == "fragment" else {}
        return client.get(f"/accountability/{record.id}", headers=headers)
    if endpoint == "pdf":
        return client.get(f"/accountability/{record.id}/record.pdf")
    if endpoint == "evidence":
        item = record.evidence.get()
        return client.get(f"/accountability/{record.id}/evidence/{item.id}")
    if endpoint == "export":
        return client.get("/accountability/export.csv")
    if endpoint == "new":
        return client.get("/accountability/new")
    if endpoint == "new_post":
        return client.post("/accountability/new", data={
            "subject": world.person.id, "level": "direct", "findings": "未按时回复。"})
    step = STEP_OF.get(endpoint, endpoint)
    form = {f"{step}-{k}": v for k, v in data.items()}
    form[f"{step}-version"] = str(record.version)
    if step == "evidence":
        form["evidence-evidence"] = (io.BytesIO(PNG), "more.png")
    return client.post(f"/accountability/{record.id}/act/{step}", data=form,
                       content_type="multipart/form-data")


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_only_those_entitled_may_see_or_act_on_an_accountability_record(app, login_as, role,
                                                                        endpoint):
    with app.app_context():
        world = make_world(app)
        status, method, allowed, _data = ENDPOINTS[endpoint]
        record = record_at(world, status) if status else None
    views_before = AccountabilityView.select().count()
    client = app.test_client() if role == "anonymous" else login_as(world.who(role))
    response = _request(client, endpoint, record, world)
    body = response.get_data()
    response.close()
    if role == "anonymous":
        if endpoint == "fragment":  # htmx is told where to go
            assert response.status_code == 401 and "/login" in response.headers["HX-Redirect"]
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in allowed:
        assert response.status_code in (200, 303), body[:500]
        if method == "GET" and record is not None:
            assert AccountabilityView.select().count() == views_before + 1
    else:
        # Not a viewer: 404 (the record's existence is not revealed). A viewer who may not
        # take this step, and anyone on the list-wide pages: 403.
        hidden = role not in VIEWERS and endpoint not in ("export", "new", "new_post")
        assert response.status_code == (404 if hidden else 403)
        assert AccountabilityView.select().count() == views_before
        if record is not None:
            assert AccountabilityRecord.get_by_id(record.id).version == record.version
        if endpoint == "new_post":
            assert AccountabilityRecord.select().count() == 0
