"""Keyword search over complaints, Chinese included.

SQLite: an FTS5 table whose text has every run of CJK characters split into overlapping
bigrams ("申请退款" → "申请 请退 退款"), so a two-character word such as 退款 is found
inside a sentence through the index; other words are matched by prefix.

PostgreSQL: the same words in a tsvector table with a GIN index (domain/search_pg.py).
"""
import re

from peewee import OP, SQL, Expression, NodeList

from extensions import db
from domain.models import Complaint

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{CJK}]+")
# Words to search for: CJK runs, or runs of letters and digits; punctuation of any script
# (，、。 , . - @) separates words, as the index's tokenizer does.
_WORD = re.compile(f"[{CJK}]+|(?:(?![{CJK}])[^\\W_])+")

FTS_TABLE = "complaint_fts"


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """Text as stored in the index: CJK runs turned into bigrams."""
    return _CJK_RUN.sub(lambda m: " " + " ".join(_bigrams(m.group())) + " ", text)


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for the words of `query` (all must match), or None."""
    terms = []
    for word in _WORD.findall(query)[:12]:
        if _CJK_RUN.fullmatch(word):
            grams = _bigrams(word)
            if len(grams) == 1 and len(word) == 1:
                terms.append(f'"{word}"*')
            else:
                terms.append('"' + " ".join(grams) + '"')
        else:
            terms.append(f'"{word}"*')
    return " AND ".join(terms) if terms else None


def document(complaint: Complaint) -> str:
    parts = [complaint.number, complaint.complainant_name, complaint.complainant_phone,
             complaint.contact_key, complaint.complainant_email, complaint.order_ref, complaint.matter, complaint.demand]
    return index_text(" ".join(p for p in parts if p))


def _on_postgres() -> bool:
    from domain.database import is_sqlite
    return not is_sqlite()


def reindex(complaint: Complaint) -> None:
    """Refresh one complaint's entry. Call inside the write transaction that changed it."""
    if _on_postgres():
        from domain import search_pg
        search_pg.reindex(complaint.id, document(complaint))
        return
    db.execute_sql(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", (complaint.id,))
    db.execute_sql(f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (?, ?)",
                   (complaint.id, document(complaint)))


def match_count(keyword: str) -> int | None:
    """How many complaints match `keyword` (every complaint has one index row), or None
    when it has no searchable word. Reads the index only: about 2 ms for 20,000 matches."""
    if _on_postgres():
        from domain import search_pg
        return search_pg.match_count(keyword)
    expression = match_expression(keyword)
    if expression is None:
        return None
    return db.execute_sql(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?",
                          (expression,)).fetchone()[0]


def filter_query(query, keyword: str, drive: bool = True):
    """Restrict a Complaint query to those matching `keyword`.

    drive=True: the matches drive the query (each one is looked up by id, then sorted);
    cheap when there are few. drive=False: written `+id IN (…)` so that SQLite cannot look
    rows up through it, and reads the complaints through another index (received_at for the
    list, a filter's index) checking each against the matches; cheap when there are many,
    because a page of 25 then stops after a few dozen index entries (see docs/performance.md).
    """
    if _on_postgres():
        from domain import search_pg
        return search_pg.filter_query(query, keyword, Complaint.id)
    expression = match_expression(keyword)
    if expression is None:
        return query
    column = Complaint.id if drive else NodeList((SQL("+"), Complaint.id), glue="")
    return query.where(Expression(column, OP.IN, SQL(
        f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)", (expression,))))
