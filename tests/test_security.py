"""Security headers, cookies, how uploaded and generated files are served, no inline script
or style in the templates, and the bandit/pip-audit check."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Response

from app import create_app
from blueprints.core.security import CSP, SANDBOX_CSP
import config as app_config
from domain.database import migrate
from domain.models import Complaint, Evidence
from extensions import db
from tests.conftest import PDF, PNG
from tests.factories import PASSWORD, make_user
from tests.test_intake import form_data, post_intake

ROOT = Path(__file__).resolve().parent.parent


def _signed_in(app, role="intake"):
    user = make_user(role)
    c = app.test_client()
    assert c.post("/login", data={"username": user.username,
                                  "password": PASSWORD}).status_code == 303
    return c


def test_pages_allow_only_this_sites_own_scripts_and_no_framing(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert policy == CSP
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_no_hsts_over_plain_http_by_default(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.fixture
def secure_app(tmp_path):
    """The app configured for running behind HTTPS (SESSION_COOKIE_SECURE=1)."""
    config = app_config.TestConfig(tmp_path)
    config.SESSION_COOKIE_SECURE = True
    application = create_app(config)
    migrate()
    yield application
    if not db.is_closed():
        db.close()


def test_hsts_is_sent_behind_tls(secure_app):
    response = secure_app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_is_sent_for_a_request_that_came_over_https(client):
    response = client.get("/login", base_url="https://complaints.example.org")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_session_cookie_is_http_only_and_same_site(app):
    user = make_user("intake")
    response = app.test_client().post("/login", data={"username": user.username,
                                                       "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_behind_tls(secure_app):
    user = make_user("intake")
    response = secure_app.test_client().post(
        "/login", data={"username": user.username, "password": PASSWORD},
        base_url="https://complaints.example.org")
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_anything_that_is_not_a_page_or_pdf_is_sandboxed(app):
    @app.get("/_test/markup-as-text")
    def _markup():
        return Response("<script>alert(1)</script>", mimetype="text/plain")

    response = app.test_client().get("/_test/markup-as-text")
    assert response.headers["Content-Security-Policy"] == SANDBOX_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_downloaded_as_an_attachment_in_a_sandbox_never_inline(app):
    c = _signed_in(app)
    text = "订单号 SO-1，发票已开具。\n".encode()
    response = post_intake(c, form_data(), files=[(PDF, "scan.pdf"), (PNG, "photo.png"),
                                                  (text, "notes.txt")])
    assert response.status_code == 303
    complaint = Complaint.get()
    items = list(Evidence.select().where(Evidence.complaint == complaint.id))
    assert {i.mime_type for i in items} == {"application/pdf", "image/png", "text/plain"}
    for item in items:
        response = c.get(f"/complaints/{complaint.id}/evidence/{item.id}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.mimetype == item.mime_type
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        policy = response.headers["Content-Security-Policy"]
        assert "sandbox" in policy and "default-src 'none'" in policy
        response.close()


def test_an_html_file_cannot_be_uploaded_as_evidence_even_named_txt(app):
    c = _signed_in(app)
    response = post_intake(c, form_data(), files=[
        (b"<html><script>alert(1)</script></html>", "notes.txt")])
    assert response.status_code == 422
    assert Complaint.select().count() == 0 and Evidence.select().count() == 0


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_issued_letters_are_served_as_pdf_with_nosniff_and_no_framing_by_others(app):
    from tests.test_letters import STEPS, _issue, _only_letter, _status
    from tests.workflow_helpers import drive, make_cast
    with app.test_request_context():
        cast = make_cast(app)
        complaint = drive(cast, _status(STEPS["acknowledgement"]),
                          steps=STEPS["acknowledgement"], language="en")
    c = app.test_client()
    c.post("/login", data={"username": cast.intake.username, "password": PASSWORD})
    assert _issue(app, c, complaint, "acknowledgement").status_code == 303
    letter = _only_letter(complaint)
    response = c.get(f"/complaints/{complaint.id}/letters/{letter.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF-")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    response.close()


# --- templates: no inline script, style or event handlers (the CSP would block them) --------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]
# Print templates rendered by WeasyPrint only (never served to a browser as a page).
PRINT_ONLY = ("letters/", "report/", "dossier", "pdf", "email/")


def test_no_template_served_to_browsers_has_inline_script_style_or_handlers():
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        rel = path.relative_to(ROOT / "templates").as_posix()
        if any(part in rel for part in PRINT_ONLY):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{rel}:{line}: {what}")
    assert not problems, "\n".join(problems)


# --- bandit (the same settings as script/security-check) ------------------------------------

@pytest.mark.skipif(not (ROOT / ".venv/bin/bandit").exists(), reason="bandit not installed")
def test_bandit_finds_no_high_severity_issue_in_our_code():
    targets = ["app.py", "config.py", "extensions.py", "wsgi.py", "domain", "blueprints",
               "scripts"] + sorted(p.name for p in ROOT.glob("cli*.py"))
    result = subprocess.run(
        [str(ROOT / ".venv/bin/bandit"), "-c", "script/bandit.yaml", "-r", *targets,
         "--severity-level", "high", "--quiet", "--format", "txt"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_script_runs_the_security_check_before_the_tests():
    script = (ROOT / "script/test").read_text()
    assert script.index("script/security-check") < script.index("-m pytest")
    check = (ROOT / "script/security-check").read_text()
    assert "--severity-level high" in check and "pip-audit" in check
    dev = (ROOT / "requirements-dev.txt").read_text().split()
    assert "bandit==1.9.4" in dev and "pip-audit==2.10.1" in dev
