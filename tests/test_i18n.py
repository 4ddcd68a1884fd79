"""Staff work in English or Simplified Chinese: every string is translated, and the compiled
catalogues are what the app actually serves.

When a test here fails after you added or changed a string in the code or a template, run
scripts/i18n.sh and fill in the new entries of translations/zh_Hans/LC_MESSAGES/messages.po.
"""
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.factories import make_complaint

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
ZH_PO = TRANSLATIONS / "zh_Hans" / "LC_MESSAGES" / "messages.po"
ZH_MO = TRANSLATIONS / "zh_Hans" / "LC_MESSAGES" / "messages.mo"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]")

ZH_BROWSER = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
EN_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def _read_po(path, locale=None):
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def _ids(catalog):
    return {m.id for m in catalog if m.id}


def _first(value):
    return value[0] if isinstance(value, (tuple, list)) else value


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text or ""))


# --- the catalogues ------------------------------------------------------------------------

def test_every_message_in_the_template_has_a_chinese_translation():
    template = _read_po(POT)
    zh = _read_po(ZH_PO, locale="zh_Hans")
    problems = []
    for msg in template:
        if not msg.id:
            continue
        entry = zh.get(msg.id)
        if entry is None:
            problems.append(f"not in the zh_Hans catalogue: {msg.id!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msg.id!r}")
        elif not all(s.strip() for s in (entry.string if entry.pluralizable else [entry.string])):
            problems.append(f"empty: {msg.id!r}")
    assert not problems, "Run scripts/i18n.sh and translate:\n" + "\n".join(problems)


def test_chinese_translations_keep_every_placeholder_of_the_english_text():
    zh = _read_po(ZH_PO, locale="zh_Hans")
    problems = []
    for msg in zh:
        if not msg.id:
            continue
        ids = msg.id if msg.pluralizable else (msg.id,)
        strings = msg.string if msg.pluralizable else (msg.string,)
        # The plural form may use placeholders the singular leaves out; Chinese has one form.
        wanted = set(_placeholders(ids[-1])) | set(_placeholders(ids[0]))
        for s in strings:
            if s and set(_placeholders(s)) != wanted:
                problems.append(f"{ids[0]!r} → {s!r}")
    assert not problems, "Placeholders differ:\n" + "\n".join(problems)


def test_the_chinese_catalogue_has_one_plural_form_and_nothing_else_than_the_template():
    zh = _read_po(ZH_PO, locale="zh_Hans")
    assert zh.num_plurals == 1
    assert str(zh.locale) == "zh_Hans"
    stale = _ids(zh) - _ids(_read_po(POT))
    assert not stale, f"Entries no longer in the template (run scripts/i18n.sh): {stale}"
    for msg in zh:
        if msg.id and msg.pluralizable:
            assert len(msg.string) == 1 and msg.string[0], msg.id


def test_the_english_catalogue_has_a_valid_header_and_follows_the_template():
    en = _read_po(EN_PO, locale="en")
    assert str(en.locale) == "en"
    assert en.num_plurals == 2
    assert en.mime_headers  # parsed, so the header is well formed
    assert dict(en.mime_headers)["Content-Type"] == "text/plain; charset=utf-8"
    assert _ids(en) == _ids(_read_po(POT))


def test_the_compiled_chinese_catalogue_matches_the_translations():
    zh = _read_po(ZH_PO, locale="zh_Hans")
    with open(ZH_MO, "rb") as f:
        compiled = read_mo(f)
    stale = []
    for msg in zh:
        if not msg.id:
            continue
        done = compiled.get(msg.id)
        if done is None or _first(done.string) != _first(msg.string):
            stale.append(msg.id)
    assert not stale, f"messages.mo is out of date (run scripts/i18n.sh): {stale[:10]}"


def test_the_template_holds_every_string_the_code_and_templates_use(tmp_path):
    """A string added to the code without running scripts/i18n.sh would show in English."""
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
        "--no-location", "--sort-output", "-o", str(fresh),
        "--ignore-dirs=.venv tests bench-data", str(ROOT)])
    missing = _ids(_read_po(fresh)) - _ids(_read_po(POT))
    assert not missing, f"Not extracted yet (run scripts/i18n.sh): {sorted(missing, key=str)}"


# --- what people see ------------------------------------------------------------------------

def test_someone_whose_browser_prefers_chinese_gets_the_sign_in_page_in_chinese(client):
    page = client.get("/login", headers=ZH_BROWSER).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    assert "登录" in page
    assert "Sign in" not in page


def test_someone_whose_browser_prefers_english_gets_the_sign_in_page_in_english(client):
    page = client.get("/login", headers=EN_BROWSER).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "登录" not in page


def test_chinese_intake_staff_see_the_ledger_in_their_office_terms(app, login_as):
    c = login_as("intake")
    make_complaint(app, registered_by=c.user)
    page = c.get("/complaints", headers=ZH_BROWSER).get_data(as_text=True)
    assert "投诉台账" in page        # Complaints
    assert "登记投诉" in page        # Register a complaint
    assert "共 1 件投诉" in page     # the plural count
    assert "已登记" in page          # status label, a lazy string from domain/workflow.py
    assert "客服热线" in page        # channel label, a lazy string from domain/vocab.py
    assert "Registered" not in page


@pytest.mark.parametrize("headers, word", [(EN_BROWSER, "Hotline"), (ZH_BROWSER, "客服热线")])
def test_labels_defined_in_the_code_follow_the_language_of_each_request(app, login_as, headers, word):
    c = login_as("manager")
    make_complaint(app)
    page = c.get("/complaints", headers=headers).get_data(as_text=True)
    assert word in page
