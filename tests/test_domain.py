"""Domain rules without HTTP: numbering, lookup codes, search text, upload checks, intake."""
import datetime as dt
import hashlib
import re
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from domain import intake, numbering, search, uploads
from domain.errors import DomainError
from domain.models import Complaint, Event, Evidence, NumberSequence
from domain.settings import load_settings, save_settings
from extensions import db
from tests.conftest import PDF, PNG
from tests.factories import complaint_data, make_complaint, make_user

MB = 1024 * 1024


def register(app, user, files=(), **overrides):
    return intake.register(complaint_data(**overrides), user, list(files),
                           settings=load_settings(), upload_dir=app.config["UPLOAD_DIR"],
                           max_bytes=MB)


def stored_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["UPLOAD_DIR"]).rglob("*") if p.is_file())


# --- complaint numbers ------------------------------------------------------------------

def test_numbering_never_repeats_when_four_desks_register_at_the_same_time(app):
    users = [make_user("intake") for _ in range(4)]
    settings = load_settings()
    db.close()  # every thread opens its own connection to the same file
    start = threading.Barrier(4)
    numbers, errors = [], []
    lock = threading.Lock()

    def desk(user):
        try:
            start.wait()
            for i in range(10):
                complaint, _code = intake.register(
                    complaint_data(complainant_name=f"{user.username}-{i}"), user, [],
                    settings=settings, upload_dir=app.config["UPLOAD_DIR"], max_bytes=MB)
                with lock:
                    numbers.append(complaint.number)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))
        finally:
            db.close()

    threads = [threading.Thread(target=desk, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(numbers) == len(set(numbers)) == 40
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, 41))
    assert Complaint.select().count() == 40
    assert NumberSequence.get().value == 40
    # Each complaint got exactly one register event and is findable.
    assert Event.select().where(Event.action == "register").count() == 40


def test_numbering_uses_the_prefix_and_padding_settings(app):
    user = make_user("intake")
    year = dt.datetime.now(ZoneInfo("Asia/Shanghai")).year
    first, _ = register(app, user)
    assert first.number == f"TS-{year}-000001"
    save_settings({"number_prefix": "GS", "number_padding": 4})
    second, _ = register(app, user)
    third, _ = register(app, user)
    assert (second.number, third.number) == (f"GS-{year}-0001", f"GS-{year}-0002")
    save_settings({"number_prefix": "TS", "number_padding": 6})
    assert register(app, user)[0].number == f"TS-{year}-000002"


def test_numbering_follows_the_year_in_the_organisation_time_zone(app, monkeypatch):
    user = make_user("intake")
    # 17:30 UTC on 31 December is already 01:30 on 1 January in Shanghai.
    monkeypatch.setattr(intake, "utcnow", lambda: dt.datetime(2026, 12, 31, 17, 30))
    complaint, _ = register(app, user, received_at=dt.datetime(2026, 12, 31, 16, 0))
    assert complaint.number == "TS-2027-000001"
    monkeypatch.setattr(intake, "utcnow", lambda: dt.datetime(2026, 12, 31, 15, 30))
    complaint, _ = register(app, user, received_at=dt.datetime(2026, 12, 31, 15, 0))
    assert complaint.number == "TS-2026-000001"


def test_numbering_a_failed_registration_does_not_use_up_a_number(app, monkeypatch):
    user = make_user("intake")

    def broken_index(_complaint):
        raise RuntimeError("disk full")

    monkeypatch.setattr(search, "reindex", broken_index)
    with pytest.raises(RuntimeError):
        register(app, user, files=[("photo.png", PNG)])
    assert Complaint.select().count() == 0
    assert Event.select().count() == 0 and Evidence.select().count() == 0
    assert stored_files(app) == []  # the file written before the failure is removed
    monkeypatch.undo()
    assert register(app, user)[0].number.endswith("-000001")


# --- lookup codes -----------------------------------------------------------------------

def test_lookup_codes_are_long_unambiguous_and_different_every_time():
    codes = {numbering.new_lookup_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) >= 10
        assert not set(code) & set("01OI")
        assert set(code) <= set(numbering.LOOKUP_ALPHABET)


def test_lookup_code_hash_ignores_case_and_separators_a_complainant_might_type():
    code = "ABCD2345EFGH"
    expected = hashlib.sha256(code.encode()).hexdigest()
    assert numbering.hash_lookup_code(code) == expected
    assert numbering.hash_lookup_code("abcd-2345 efgh") == expected
    assert numbering.hash_lookup_code("ABCD2345EFGJ") != expected


def test_lookup_code_is_stored_only_as_its_hash(app):
    complaint, code = register(app, make_user("intake"))
    assert Complaint.get_by_id(complaint.id).lookup_code_hash == numbering.hash_lookup_code(code)
    for table in db.get_tables():
        for row in db.execute_sql(f'SELECT * FROM "{table}"').fetchall():
            for value in row:
                assert code not in str(value) and code.lower() not in str(value), table


# --- keyword search text ----------------------------------------------------------------

def test_search_index_text_splits_chinese_runs_into_overlapping_bigrams():
    assert search.index_text("申请退款").split() == ["申请", "请退", "退款"]
    assert search.index_text("水").split() == ["水"]
    assert search.index_text("电水壶漏水，申请退款。").split() == [
        "电水", "水壶", "壶漏", "漏水", "，", "申请", "请退", "退款", "。"]
    assert search.index_text("订单SO-1退款kettle").split() == ["订单", "SO-1", "退款", "kettle"]
    assert search.index_text("The kettle leaks") == "The kettle leaks"


@pytest.mark.parametrize("query, expression", [
    ("退款", '"退款"'),
    ("申请退款", '"申请 请退 退款"'),
    ("退", '"退"*'),
    ("kett", '"kett"*'),
    ("退款 kettle", '"退款" AND "kettle"*'),
    ("TS-2026-000123", '"TS"* AND "2026"* AND "000123"*'),
    ('say "hi"', '"say"* AND "hi"*'),
    ("", None),
    ("   ", None),
    ('"*()', None),
])
def test_search_match_expression_quotes_every_word_and_joins_them_with_and(query, expression):
    assert search.match_expression(query) == expression


def test_search_match_expression_uses_at_most_twelve_words():
    expression = search.match_expression(" ".join(f"w{i}" for i in range(20)))
    assert expression.count(" AND ") == 11 and '"w11"*' in expression and "w12" not in expression


def test_search_finds_chinese_words_through_the_index(app):
    user = make_user("manager")
    refund = make_complaint(app, registered_by=user, matter="申请退款", demand="")
    repair = make_complaint(app, registered_by=user, matter="要求维修", demand="")

    def found(q):
        return {c.id for c in search.filter_query(Complaint.select(), q)}

    assert found("退款") == {refund.id}
    assert found("维修") == {repair.id}
    assert found("申请退款") == {refund.id}
    assert found("退") == {refund.id}
    assert found("退款 维修") == set()
    assert found("") == {refund.id, repair.id}


def test_search_index_follows_a_correction(app):
    user = make_user("intake")
    complaint = make_complaint(app, registered_by=user, matter="电视机屏幕碎裂", demand="")
    intake.update(complaint.id, {"matter": "冰箱不制冷"}, user, 1)
    found = lambda q: [c.id for c in search.filter_query(Complaint.select(), q)]  # noqa: E731
    assert found("冰箱") == [complaint.id]
    assert found("电视") == []


# --- contact keys for duplicates --------------------------------------------------------

@pytest.mark.parametrize("phone, key", [
    ("13800138000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("0086 138 0013 8000", "13800138000"),
    ("(021) 6234-5678", "02162345678"),
    ("12345", ""),
    ("", ""),
])
def test_intake_contact_key_normalises_the_ways_a_phone_is_written(phone, key):
    assert intake.contact_key(phone) == key


# --- upload checks ----------------------------------------------------------------------

@pytest.mark.parametrize("name, data, mime", [
    ("photo.png", PNG, "image/png"),
    ("scan.pdf", PDF, "application/pdf"),
    ("notes.txt", "顾客来电，称电水壶漏水。\nCustomer says the kettle leaks.\n".encode(),
     "text/plain"),
    ("photo.pdf", PNG, "image/png"),  # judged by content, not by name
])
def test_uploads_accept_images_pdfs_and_plain_text(name, data, mime):
    checked = uploads.check_file(name, data, MB)
    assert (checked.original_name, checked.mime_type) == (name, mime)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.data == data


@pytest.mark.parametrize("name, data, message", [
    ("note.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "not an allowed type"),
    ("note.txt", b"\n  <html><body onload=alert(1)></body></html>", "not an allowed type"),
    ("note.txt", b"<script>alert(1)</script>", "not an allowed type"),
    ("note.txt", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     "not an allowed type"),
    ("evidence.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120, "not an allowed type"),
    ("evidence.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
     "not an allowed type"),
    ("data.bin", bytes(range(256)), "not an allowed type"),
    ("empty.pdf", b"", "The file empty.pdf is empty."),
    ("big.png", PNG + b"\x00" * MB, "The file big.png is larger than 1 MB."),
])
def test_uploads_refuse_markup_executables_empty_and_oversize_files(name, data, message):
    with pytest.raises(DomainError) as refused:
        uploads.check_file(name, data, MB)
    assert message in str(refused.value.message)
    assert refused.value.field == "evidence"


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf<html><script>alert(1)</script></html>",
    b"<body onload=alert(1)>receipt</body>",
    b"<p>Receipt</p><script>alert(1)</script>",
    b'<iframe src="https://evil.example/"></iframe>',
])
def test_uploads_refuse_html_in_a_text_file_whatever_tag_it_starts_with(data):
    with pytest.raises(DomainError):
        uploads.check_file("note.txt", data, MB)


def test_uploads_keep_only_the_base_name_of_what_the_browser_sent():
    assert uploads.check_file("../../etc/passwd.png", PNG, MB).original_name == "passwd.png"
    assert uploads.check_file("", PNG, MB).original_name == "file"
    long = uploads.check_file("a" * 300 + ".png", PNG, MB).original_name
    assert len(long) == uploads.MAX_NAME and long.endswith(".png")


def test_uploads_store_under_a_random_name_readable_by_the_app_only(tmp_path):
    checked = uploads.check_file("photo.png", PNG, MB)
    first, second = uploads.store(tmp_path, checked), uploads.store(tmp_path, checked)
    assert first != second
    for name in (first, second):
        assert re.fullmatch(r"[0-9a-f]{32}", name)
        path = uploads.path_of(tmp_path, name)
        assert path.parent.parent == tmp_path and path.read_bytes() == PNG
        assert path.stat().st_mode & 0o777 == 0o640


def test_intake_adding_evidence_to_a_closed_complaint_is_refused_and_keeps_no_file(app):
    user = make_user("intake")
    complaint = make_complaint(app, registered_by=user)
    Complaint.update(status="closed").where(Complaint.id == complaint.id).execute()
    with pytest.raises(DomainError):
        intake.add_evidence(complaint.id, [("scan.pdf", PDF)], user,
                            upload_dir=app.config["UPLOAD_DIR"], max_bytes=MB)
    assert stored_files(app) == [] and Evidence.select().count() == 0
    assert Event.select().where(Event.complaint == complaint.id).count() == 1
