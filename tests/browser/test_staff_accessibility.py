"""The staff side in a real browser, in both languages: no serious or critical accessibility
violation (axe-core, WCAG 2.0/2.1 A and AA rules) on any main page, as the user who sees it,
and a form that works from the keyboard with a visible focus.

The demo data (scripts/seed_demo.py: every stage, emergencies, accountability, plans) is
loaded into the live app. On the complaint pages every workflow form (a closed <details>) is
opened before the check, so the forms are checked too; the intake form is also checked with
its errors showing. Pages that list the same thing many times (the list with each filter,
every complaint) are checked once per kind; tests/test_html_validity.py goes wider.

axe-core is fetched by `script/setup --test` into tests/browser/vendor/ (pinned, checked, not
committed) and injected into each page; the contexts bypass the pages' CSP for that one script.
"""
from pathlib import Path

import pytest

from domain import access
from domain.models import Complaint, User
from scripts.seed_demo import DEMO_PASSWORD, seed

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCALES = {"en": "en-GB", "zh_Hans": "zh-CN"}
# The complaint stages and who acts at each (so the page shows that person's forms).
ACTORS = {"registered": "intake", "accepted": "intake", "rejected": "manager",
          "assigned": "head", "investigating": "investigator", "proposing": "investigator",
          "reviewing": "head", "approving": "leader", "approved": "intake",
          "responded": "intake", "external": "intake", "executing": "head",
          "visiting": "manager", "closed": "manager", "archived": "auditor"}
PAGES = {  # user → pages (besides the complaints, added by stage)
    "admin": ["/work", "/admin/users", "/admin/users/new", "/admin/users/2", "/admin/departments",
              "/admin/departments/new", "/admin/departments/2", "/admin/settings",
              "/admin/calendar", "/admin/root-causes", "/admin/root-causes/new",
              "/admin/root-causes/1", "/admin/email", "/admin/privacy", "/admin/sessions",
              "/admin/audit", "/admin/audit?view=logins", "/admin/letter-texts",
              "/admin/letter-texts/acknowledgement/zh_Hans", "/admin/letterhead", "/account",
              "/work/notifications"],
    "manager": ["/work", "/complaints", "/complaints?status=investigating&overdue=1&sort=due",
                "/complaints?status=nonsense&received_from=not-a-date", "/work/board",
                "/analysis/", "/analysis/root-causes", "/emergencies/", "/emergencies/1",
                "/accountability/", "/accountability/1", "/accountability/new", "/plans/",
                "/plans/1", "/plans/1/review", "/plans/new", "/work/notifications",
                "/complaints/{approved}/letters/new/acknowledgement",
                "/complaints/{investigating}/edit"],
    "intake": ["/work", "/complaints/new"],
    "investigator": ["/work"],
    "head": ["/work", "/analysis/"],
    "leader": ["/work", "/emergencies/drill", "/emergencies/1", "/staff/", "/staff/3"],
    "auditor": ["/work", "/complaints"],
}


@pytest.fixture
def demo(live_app, live_server):
    """The demo data in the live app; for each stage, a complaint its actor may act on."""
    with live_app.test_request_context():
        seed(live_app.config["UPLOAD_DIR"])
        chosen = {}
        for status, who in ACTORS.items():
            user = User.get(User.username == who)
            complaints = list(Complaint.select().where(Complaint.status == status)
                              .order_by(Complaint.id))
            acting = [c for c in complaints if access.available_actions(user, c)]
            seen = [c for c in complaints if access.can_view(user, c)]
            assert seen, f"{who} sees no complaint at {status}"
            chosen[status] = (acting or seen)[0].id
    return chosen


def axe_problems(page, name):
    """Serious and critical violations on the page as it is: 'name: rule (impact): targets'."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 4)}));
    }""", TAGS)
    return [f"{name}: {v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
            for v in result if v["impact"] in ("serious", "critical")]


def signed_in_page(browser, live_server, username, lang):
    context = browser.new_context(base_url=live_server, locale=LOCALES[lang], bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/login")
    if lang == "zh_Hans" and page.locator("html").get_attribute("lang") != "zh-Hans":
        page.locator('.lang-form button[value="zh_Hans"]').click()
        page.wait_for_load_state()
    page.locator("#username").fill(username)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    if page.locator("html").get_attribute("lang") != ("zh-Hans" if lang == "zh_Hans" else "en"):
        page.locator(f'.lang-form button[value="{lang}"]').click()  # the account's own choice
        page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("lang", ["en", "zh_Hans"])
def test_every_main_staff_page_passes_axe_for_the_user_who_sees_it(browser, live_server, demo,
                                                                    lang):
    expected_lang = "zh-Hans" if lang == "zh_Hans" else "en"
    problems = []
    anonymous = browser.new_context(base_url=live_server, locale=LOCALES[lang], bypass_csp=True)
    page = anonymous.new_page()
    page.goto("/login")
    if lang == "zh_Hans" and page.locator("html").get_attribute("lang") != "zh-Hans":
        page.locator('.lang-form button[value="zh_Hans"]').click()
        page.wait_for_load_state()
    problems += axe_problems(page, "/login")
    page.locator("main form button[type=submit]").click()  # empty: errors
    page.wait_for_load_state()
    problems += axe_problems(page, "/login with errors")
    page.goto("/no-such-page")
    problems += axe_problems(page, "404")
    anonymous.close()

    pages = {who: list(urls) for who, urls in PAGES.items()}
    for status, who in ACTORS.items():
        pages.setdefault(who, []).append(f"/complaints/{demo[status]}")
    for who, urls in pages.items():
        context, page = signed_in_page(browser, live_server, who, lang)
        for url in urls:
            url = url.format(**demo)
            response = page.goto(url)
            assert response.status == 200, f"{who} {url}: {response.status}"
            assert page.locator("html").get_attribute("lang") == expected_lang, url
            # Closed disclosures (the workflow forms) are opened so their fields are checked.
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            problems += axe_problems(page, f"{who} {url}")
        if who == "intake":  # the intake form sent empty: errors beside the fields
            page.goto("/complaints/new")
            page.locator("main form button[type=submit]").last.click()
            page.wait_for_load_state()
            page.locator("[aria-invalid='true']").first.wait_for()
            problems += axe_problems(page, f"{who} /complaints/new with errors")
            page.goto("/admin/users")  # not for intake: the 403 page
            problems += axe_problems(page, f"{who} 403")
        context.close()
    assert not problems, f"{len(problems)} serious/critical violations:\n" + "\n".join(problems)


def test_the_intake_form_is_usable_from_the_keyboard_with_a_visible_focus(page, sign_in):
    sign_in("intake")
    page.goto("/complaints/new")
    fields = page.evaluate("""() => Array.from(document.querySelectorAll(
        'main form input:not([type=hidden]), main form select, main form textarea'))
        .filter(el => !el.disabled && el.offsetParent !== null && el.tabIndex >= 0)
        .map(el => el.id)""")
    assert len(fields) >= 10
    page.locator("main h1").click()  # start from the top of the content
    seen = []
    for _ in range(len(fields) * 3 + 10):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement, s = getComputedStyle(el);
            return {id: el.id, tag: el.tagName,
                    visible: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
        }""")
        if info["id"] in fields and info["id"] not in seen:
            assert info["visible"], f"no visible focus on #{info['id']}"
            seen.append(info["id"])
        if info["tag"] == "BUTTON" and len(seen) == len(fields):
            break
    assert seen == fields, f"Tab reached {seen}, the form has {fields}"
