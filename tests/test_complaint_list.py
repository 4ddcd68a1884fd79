"""The complaint list: filters, keyword search, sorting, pagination, fragments, query counts."""
import datetime as dt
import re

import pytest

from domain import intake
from domain.models import Complaint
from tests.conftest import PDF
from tests.factories import make_complaint, make_department, make_user

HX = {"HX-Request": "true"}


def numbers_in(page: str) -> list[str]:
    """Complaint numbers listed in the results, in the order shown."""
    return re.findall(r'<a href="/complaints/\d+">(TS-\d{4}-\d{6})</a>', page)


def result_count(page: str) -> str:
    return re.search(r'<p class="result-count">(.*?)</p>', page).group(1)


def listed(client, **args) -> list[str]:
    response = client.get("/complaints", query_string=args)
    assert response.status_code == 200
    return numbers_in(response.get_data(as_text=True))


@pytest.fixture
def manager(login_as):
    return login_as("manager")


def test_list_intake_staff_sees_the_complaint_they_registered(app, login_as):
    c = login_as("intake")
    mine = make_complaint(app, registered_by=c.user)
    someone_elses = make_complaint(app)
    assert listed(c) == [mine.number]
    assert someone_elses.number not in c.get("/complaints").get_data(as_text=True)


def test_list_newest_received_comes_first_by_default(app, manager):
    now = dt.datetime(2026, 3, 1, 8, 0)
    old = make_complaint(app, registered_by=manager.user, received_at=now - dt.timedelta(days=3))
    new = make_complaint(app, registered_by=manager.user, received_at=now)
    middle = make_complaint(app, registered_by=manager.user,
                            received_at=now - dt.timedelta(days=1))
    assert listed(manager) == [new.number, middle.number, old.number]


@pytest.mark.parametrize("name, wanted, other", [
    ("channel", "email", "hotline"),
    ("nature", "price", "service"),
    ("severity", "major", "ordinary"),
])
def test_list_manager_filters_by_channel_nature_and_severity(app, manager, name, wanted, other):
    hit = make_complaint(app, registered_by=manager.user, **{name: wanted})
    miss = make_complaint(app, registered_by=manager.user, **{name: other})
    assert listed(manager, **{name: wanted}) == [hit.number]
    assert listed(manager, **{name: other}) == [miss.number]


def test_list_manager_filters_by_status_and_by_all_open(app, manager):
    registered = make_complaint(app, registered_by=manager.user)
    accepted = make_complaint(app, registered_by=manager.user)
    closed = make_complaint(app, registered_by=manager.user)
    Complaint.update(status="accepted").where(Complaint.id == accepted.id).execute()
    Complaint.update(status="closed").where(Complaint.id == closed.id).execute()
    assert listed(manager, status="accepted") == [accepted.number]
    assert listed(manager, status="closed") == [closed.number]
    assert sorted(listed(manager, status="open")) == sorted([registered.number, accepted.number])
    assert len(listed(manager)) == 3


def test_list_manager_filters_by_department_and_assignee(app, manager):
    sales, repairs = make_department("Sales"), make_department("Repairs")
    ann = make_user("investigator", department=repairs, full_name="Ann Investigator")
    in_sales = make_complaint(app, registered_by=manager.user, department=sales)
    with_ann = make_complaint(app, registered_by=manager.user, department=repairs, assignee=ann)
    nowhere = make_complaint(app, registered_by=manager.user)
    assert listed(manager, department=sales.id) == [in_sales.number]
    assert listed(manager, department=repairs.id) == [with_ann.number]
    assert listed(manager, assignee=ann.id) == [with_ann.number]
    page = manager.get("/complaints").get_data(as_text=True)
    assert "Ann Investigator" in page and "Repairs" in page and nowhere.number in page


def test_list_received_date_range_follows_the_organisation_time_zone(app, manager):
    # Asia/Shanghai is UTC+8: 17:00 UTC on the 10th is already the 11th locally.
    on_10th = make_complaint(app, registered_by=manager.user,
                             received_at=dt.datetime(2026, 1, 10, 2, 0))
    on_11th = make_complaint(app, registered_by=manager.user,
                             received_at=dt.datetime(2026, 1, 10, 17, 0))
    on_12th = make_complaint(app, registered_by=manager.user,
                             received_at=dt.datetime(2026, 1, 12, 1, 0))
    assert listed(manager, received_from="2026-01-11", received_to="2026-01-11") == \
        [on_11th.number]
    assert listed(manager, received_to="2026-01-10") == [on_10th.number]
    assert listed(manager, received_from="2026-01-11") == [on_12th.number, on_11th.number]


def test_list_keyword_search_finds_a_chinese_word_inside_a_sentence(app, manager):
    refund = make_complaint(app, registered_by=manager.user,
                            matter="购买的电水壶漏水，申请退款。", demand="换货")
    make_complaint(app, registered_by=manager.user, matter="快递延误了三天。", demand="道歉")
    assert listed(manager, q="退款") == [refund.number]
    assert listed(manager, q="电水壶") == [refund.number]
    assert listed(manager, q="退款 漏水") == [refund.number]
    assert listed(manager, q="漏水退款") == []  # a phrase that is not in the text


def test_list_keyword_search_matches_english_words_by_prefix(app, manager):
    kettle = make_complaint(app, registered_by=manager.user,
                            matter="The kettle arrived with a cracked lid.", demand="")
    make_complaint(app, registered_by=manager.user, matter="Late delivery.", demand="")
    assert listed(manager, q="kett") == [kettle.number]
    assert listed(manager, q="KETTLE cracked") == [kettle.number]
    assert listed(manager, q="ettle") == []  # prefix, not infix


def test_list_keyword_search_finds_a_complaint_by_its_number(app, manager):
    complaints = [make_complaint(app, registered_by=manager.user) for _ in range(12)]
    wanted = complaints[0]
    assert listed(manager, q=wanted.number) == [wanted.number]
    assert listed(manager, q=complaints[10].number) == [complaints[10].number]


def test_list_keyword_search_finds_a_complaint_by_phone(app, manager):
    caller = make_complaint(app, registered_by=manager.user, complainant_phone="13912345678")
    make_complaint(app, registered_by=manager.user, complainant_phone="13700000000")
    assert listed(manager, q="13912345678") == [caller.number]


def test_list_keyword_search_finds_a_phone_whatever_the_separators(app, manager):
    caller = make_complaint(app, registered_by=manager.user, complainant_phone="138-0013-8000")
    assert listed(manager, q="13800138000") == [caller.number]


@pytest.mark.parametrize("q", ["退款，漏水", "退款、漏水", "退款。"])
def test_list_keyword_search_ignores_chinese_punctuation_between_words(app, manager, q):
    refund = make_complaint(app, registered_by=manager.user,
                            matter="购买的电水壶漏水，申请退款。")
    assert listed(manager, q=q) == [refund.number]


@pytest.mark.parametrize("q", ['"', "(", "OR", "NEAR(", "a*b", "退款 OR 1=1", "%", "\\"])
def test_list_keyword_search_with_search_syntax_characters_does_not_fail(app, manager, q):
    make_complaint(app, registered_by=manager.user)
    response = manager.get("/complaints", query_string={"q": q})
    assert response.status_code == 200
    assert re.fullmatch(r"\d+ complaints?", result_count(response.get_data(as_text=True)))


def test_list_sorts_by_number_both_ways(app, manager):
    numbers = [make_complaint(app, registered_by=manager.user).number for _ in range(4)]
    assert listed(manager, sort="number", order="asc") == sorted(numbers)
    assert listed(manager, sort="number", order="desc") == sorted(numbers, reverse=True)


def test_list_pages_through_thirty_complaints_twenty_five_at_a_time(app, manager):
    assert app.config["PAGE_SIZE"] == 25
    numbers = {make_complaint(app, registered_by=manager.user).number for _ in range(30)}

    first = manager.get("/complaints", query_string={"sort": "number", "order": "asc"})
    page1 = first.get_data(as_text=True)
    assert numbers_in(page1) == sorted(numbers)[:25]
    assert result_count(page1) == "30 complaints"
    assert "Page 1 of 2" in page1 and 'rel="next"' in page1 and 'rel="prev"' not in page1

    page2 = manager.get("/complaints", query_string={
        "sort": "number", "order": "asc", "page": 2}).get_data(as_text=True)
    assert numbers_in(page2) == sorted(numbers)[25:]
    assert "Page 2 of 2" in page2 and 'rel="prev"' in page2 and 'rel="next"' not in page2
    # The next-page link keeps the sort.
    assert re.search(r'href="/complaints\?[^"]*sort=number[^"]*page=2', page1)


def test_list_a_page_past_the_end_shows_no_rows_rather_than_an_error(app, manager):
    make_complaint(app, registered_by=manager.user)
    page = manager.get("/complaints", query_string={"page": 99}).get_data(as_text=True)
    assert numbers_in(page) == [] and "No complaints match." in page


def test_list_htmx_request_gets_only_the_results_fragment(app, manager):
    complaint = make_complaint(app, registered_by=manager.user)
    response = manager.get("/complaints", query_string={"channel": "hotline"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and '<form class="filters"' not in body
    assert numbers_in(body) == [complaint.number]
    assert "HX-Request" in response.headers["Vary"]

    full = manager.get("/complaints", query_string={"channel": "hotline"})
    assert "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]


def test_list_a_boosted_or_history_restore_request_gets_the_whole_page(app, manager):
    for header in ("HX-Boosted", "HX-History-Restore-Request"):
        body = manager.get("/complaints", headers={**HX, header: "true"}).get_data(as_text=True)
        assert "<html" in body, header


@pytest.mark.parametrize("args", [
    {"status": "bogus"}, {"channel": "pigeon"}, {"nature": "x"}, {"severity": "huge"},
    {"department": "sales"}, {"assignee": "-1"}, {"received_from": "yesterday"},
    {"received_to": "2026-02-30"},
])
def test_list_an_unknown_filter_value_is_ignored_with_a_message(app, manager, args):
    complaint = make_complaint(app, registered_by=manager.user)
    response = manager.get("/complaints", query_string=args)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Some filter values were not understood and were ignored." in page
    assert numbers_in(page) == [complaint.number]


def test_list_nonsense_sort_and_page_fall_back_to_the_defaults(app, manager):
    complaint = make_complaint(app, registered_by=manager.user)
    response = manager.get("/complaints", query_string={
        "sort": "password_hash", "order": "sideways", "page": "-3"})
    assert response.status_code == 200
    assert numbers_in(response.get_data(as_text=True)) == [complaint.number]


def _fill(app, user, n, dept, assignee):
    for _ in range(n):
        make_complaint(app, registered_by=user, department=dept, assignee=assignee)


def test_list_runs_the_same_number_of_queries_for_3_or_30_complaints(app, manager,
                                                                    count_queries):
    dept = make_department("Service desk")
    assignee = make_user("investigator", department=dept)
    _fill(app, manager.user, 3, dept, assignee)
    with count_queries() as few:
        assert len(listed(manager)) == 3
    _fill(app, manager.user, 27, dept, assignee)
    with count_queries() as many:
        assert len(listed(manager)) == 25
    assert few.count == many.count, (few.statements, many.statements)


def test_complaint_page_runs_the_same_number_of_queries_for_1_or_10_history_events(
        app, login_as, count_queries):
    c = login_as("manager")
    dept = make_department("Quality")
    complaint = make_complaint(app, registered_by=c.user, department=dept,
                               assignee=make_user("investigator", department=dept))
    with count_queries() as one:
        assert c.get(f"/complaints/{complaint.id}").status_code == 200
    for i in range(6):
        complaint = intake.update(complaint.id, {"demand": f"第{i}次修改"}, c.user,
                                  complaint.version)
    for i in range(3):
        intake.add_evidence(complaint.id, [(f"scan{i}.pdf", PDF)], c.user,
                            upload_dir=app.config["UPLOAD_DIR"], max_bytes=1024 * 1024)
    assert complaint.events.count() == 10
    with count_queries() as ten:
        page = c.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert page.count("Intake data corrected") == 6 and page.count("Evidence added") == 3
    assert one.count == ten.count, (one.statements, ten.statements)


def test_list_overdue_only_shows_open_complaints_past_their_stage_due_date(app, manager):
    late = make_complaint(app, registered_by=manager.user)
    on_time = make_complaint(app, registered_by=manager.user)
    Complaint.update(stage_due_on=dt.date(2020, 1, 2)).where(Complaint.id == late.id).execute()
    Complaint.update(stage_due_on=dt.date(2099, 1, 2)).where(
        Complaint.id == on_time.id).execute()
    assert listed(manager, overdue="1") == [late.number]
    Complaint.update(status="closed").where(Complaint.id == late.id).execute()
    assert listed(manager, overdue="1") == []
