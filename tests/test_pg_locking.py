"""On PostgreSQL, write transactions run one after another, as under SQLite's BEGIN IMMEDIATE,
and raw statements written with SQLite's `?` placeholders run unchanged."""
import threading
import time

import pytest

from domain import numbering, sqlfn
from domain.database import open_database
from extensions import db
from tests import pg_support

postgres_only = pytest.mark.skipif(not pg_support.ACTIVE,
                                   reason="needs TEST_DATABASE_URL=postgresql://…")


@postgres_only
def test_pg_a_second_write_transaction_waits_for_the_first_to_commit(app):
    url = app.config["DATABASE_URL"]
    order = []
    first_in = threading.Event()

    def first():
        with db.atomic():
            first_in.set()
            time.sleep(0.3)
            order.append("first done")

    def second():
        first_in.wait(5)
        with db.atomic():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    db.close()  # each thread had its own connection; this one is the test's
    assert order == ["first done", "second in"]
    assert url == app.config["DATABASE_URL"]


@postgres_only
def test_pg_concurrent_intakes_never_get_the_same_complaint_number(app):
    numbers, errors = [], []

    def take():
        try:
            for _ in range(10):
                with db.atomic():
                    numbers.append(numbering.next_number("TS", 2026, 6))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(numbers) == 40 and len(set(numbers)) == 40
    assert max(numbers) == "TS-2026-000040"


@postgres_only
def test_pg_raw_statements_with_question_mark_placeholders_run(app):
    row = db.execute_sql("SELECT ? || '?' || ?, '50%'", ("a", "b")).fetchone()
    assert row == ("a?b", "50%")


def test_placeholders_are_left_alone_on_sqlite_and_rewritten_outside_quotes_on_postgres(app):
    sql = "SELECT * FROM t WHERE a = ? AND b LIKE 'x?%' AND c = ?"
    if pg_support.ACTIVE:
        assert sqlfn.params(sql) == \
            "SELECT * FROM t WHERE a = %s AND b LIKE 'x?%%' AND c = %s"
    else:
        assert sqlfn.params(sql) == sql


def test_local_dates_and_day_differences_agree_on_both_databases(app):
    import datetime as dt
    moment = dt.datetime(2026, 1, 10, 17, 30)
    later = dt.datetime(2026, 1, 12, 5, 30)
    value = sqlfn.moment_literal
    row = db.execute_sql(
        f"SELECT {sqlfn.local_date_sql('?', 480)}, {sqlfn.days_between_sql('?', '?')}, "
        f"{sqlfn.add_days_sql('?', 3)}, {sqlfn.local_month_start_sql('?', '+480 minutes')}",
        (value(moment), value(later), value(moment), "2026-01-30", value(moment))).fetchone()
    assert str(row[0]) == "2026-01-11"
    assert float(row[1]) == pytest.approx(1.5)
    assert str(row[2]) == "2026-02-02"
    assert row[3] == "2026-01-01"


def test_open_database_refuses_an_unknown_url():
    with pytest.raises(ValueError):
        open_database("mysql://x")
