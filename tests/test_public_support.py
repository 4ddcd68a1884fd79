"""Helpers for the tests of the complainant's pages (tests/test_public*.py): a client that
fills in the public form as a person would, and one that has looked a complaint up."""
import io
import re

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart
from werkzeug.security import generate_password_hash

from domain import accounts
from tests.conftest import PNG  # noqa: F401  (re-exported for the tests)
from tests.workflow_helpers import make_cast

GOOD = {"complainant_name": "王芳", "complainant_phone": "13900139000",
        "complainant_email": "wang@example.com", "matter": "快递三天未送达，客服电话打不通。",
        "demand": "尽快送达并说明原因", "order_ref": "SO-20260101-77"}


@pytest.fixture(autouse=True)
def relaxed_limits(app, monkeypatch):
    """No waiting and generous limits, unless a test puts the real ones back."""
    app.config.update(PUBLIC_MIN_FILL_SECONDS=0, PUBLIC_COMPLAIN_RATE_LIMIT="1000 per minute",
                      PUBLIC_TRACK_RATE_LIMIT="1000 per minute",
                      PUBLIC_ADDITION_RATE_LIMIT="1000 per minute")
    monkeypatch.setattr(accounts, "generate_password_hash",
                        lambda password: generate_password_hash(password, "pbkdf2:sha256:1"))


@pytest.fixture
def cast(app):
    with app.test_request_context():
        return make_cast(app)


def started_token(client) -> str:
    html = client.get("/complain").get_data(as_text=True)
    return re.search(r'name="started" type="hidden" value="([^"]+)"', html).group(1)


def post_multipart(client, url, data: dict, files=()):
    """A multipart POST encoded in memory; `files` are (bytes, name). (The test client's own
    encoder spools big bodies to a temporary file it never closes.)"""
    payload = MultiDict(data)
    for content, name in files:
        payload.add("evidence", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(payload)
    return client.post(url, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def submit(client, files=(), **fields):
    """POST the public form as a person who opened it first; returns the response."""
    data = dict(GOOD, started=started_token(client), website="")
    data.update(fields)
    return post_multipart(client, "/complain", data, files)


def confirmation(client) -> tuple[str, str, str]:
    """(number, lookup code, page) from the confirmation page after a submission."""
    html = client.get("/complain/done").get_data(as_text=True)
    number = re.search(r'class="code">([A-Z]+-\d{4}-\d+)<', html).group(1)
    code = re.search(r'class="code lookup-code">([A-Z0-9]+)<', html).group(1)
    return number, code, html


def look_up(client, number, code):
    return client.post("/track", data={"number": number, "code": code})


def text_of(response) -> str:
    """The visible text of a page, white space collapsed."""
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
