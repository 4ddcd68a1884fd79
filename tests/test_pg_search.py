"""Keyword search behaves the same on PostgreSQL as on SQLite's FTS5 index.

The behaviour itself (退款 inside a sentence, prefixes, punctuation, phones) is tested in
tests/test_complaint_list.py, which runs on both databases; here: how the PostgreSQL
tsvector and tsquery are built (on any database), and the table behind them (PostgreSQL).
"""
import pytest

from domain import search, search_pg
from extensions import db
from tests import pg_support
from tests.factories import make_complaint

postgres_only = pytest.mark.skipif(not pg_support.ACTIVE,
                                   reason="needs TEST_DATABASE_URL=postgresql://…")


def test_pg_index_splits_chinese_into_bigrams_with_positions_for_phrases():
    vector = search_pg.tsvector_text(search.index_text("申请退款"))
    assert vector == "'申请':1 '请退':2 '退款':3"


def test_pg_index_splits_phones_and_emails_on_punctuation_like_sqlite():
    vector = search_pg.tsvector_text(search.index_text("138-0013-8000 Zhang.Wei@Example.com"))
    assert vector == "'138':1 '0013':2 '8000':3 'zhang':4 'wei':5 'example':6 'com':7"


def test_pg_index_folds_case_and_diacritics_as_sqlite_remove_diacritics():
    assert search_pg.tsvector_text("Café CAFÉ") == "'cafe':1,2"
    assert search_pg.tsquery_text("CAFÉ") == "'cafe':*"


def test_pg_query_is_a_phrase_for_a_chinese_word_and_prefixes_for_the_rest():
    assert search_pg.tsquery_text("退款 kett") == "('退款') & 'kett':*"
    assert search_pg.tsquery_text("电水壶") == "('电水' <-> '水壶')"
    assert search_pg.tsquery_text("退") == "'退':*"


@pytest.mark.parametrize("q", ['"', "(", "%", "\\", "'", "!", "&|<->", ":*"])
def test_pg_query_of_only_search_syntax_characters_searches_nothing(q):
    assert search_pg.tsquery_text(q) is None


def test_pg_query_words_are_quoted_so_operators_in_them_are_plain_text():
    assert search_pg.tsquery_text("a'b NEAR(x) !c") == "'a':* & 'b':* & 'near':* & 'x':* & 'c':*"


@postgres_only
def test_pg_migration_creates_the_search_table_with_a_gin_index(app):
    assert "complaint_search" in db.get_tables()
    indexes = db.execute_sql(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'complaint_search'").fetchall()
    assert any("gin" in row[0].lower() for row in indexes)


@postgres_only
def test_pg_each_complaint_has_one_search_row_kept_up_to_date(app):
    complaint = make_complaint(app, matter="快递延误了三天。")
    assert search.match_count("延误") == 1
    complaint.matter = "电水壶漏水，申请退款。"
    with db.atomic():
        complaint.save()
        search.reindex(complaint)
    rows = db.execute_sql("SELECT count(*) FROM complaint_search WHERE id = %s",
                          (complaint.id,)).fetchone()[0]
    assert rows == 1
    assert search.match_count("延误") == 0
    assert search.match_count("退款") == 1


@postgres_only
@pytest.mark.parametrize("q", ["'", "a'b", "\\", "退款 ' OR 1=1", ":*", "<->", "!"])
def test_pg_search_with_quotes_and_tsquery_operators_does_not_fail(app, q):
    make_complaint(app)
    assert search.match_count(q) in (None, 0, 1)
