"""Keyword search on PostgreSQL: the same behaviour as SQLite's FTS5 index (domain/search.py).

Table `complaint_search(id, body tsvector)` with a GIN index (migration 0001). The
tsvector is built here, in Python, from the same words SQLite's unicode61 tokenizer sees
(CJK runs as overlapping bigrams, other runs of letters and digits lower-cased without
diacritics), with their positions; the query is a tsquery built the same way (bigrams of a
CJK word as a phrase `a <-> b`, other words as prefixes `w:*`, all joined by `&`). Neither
goes through PostgreSQL's text parser, which would keep "138-0013-8000" or an email
address as one token and so behave differently from SQLite.
"""
import unicodedata

from peewee import OP, SQL, Expression

from extensions import db

TABLE = "complaint_search"
MAX_POSITION = 16383  # tsvector positions stop here


def _fold(word: str, cjk_run) -> str:
    if cjk_run.fullmatch(word):
        return word
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(indexed: str) -> str:
    """The tsvector literal for text already passed through search.index_text."""
    from domain.search import _CJK_RUN, _WORD
    positions: dict[str, list[int]] = {}
    for n, word in enumerate(_WORD.findall(indexed), start=1):
        lexeme = _fold(word, _CJK_RUN)
        if lexeme:
            positions.setdefault(lexeme, []).append(min(n, MAX_POSITION))
    return " ".join(f"{_quote(lex)}:{','.join(map(str, sorted(set(pos))[:256]))}"
                    for lex, pos in positions.items())


def tsquery_text(query: str) -> str | None:
    """The tsquery for the words of `query` (all must match), or None (as match_expression)."""
    from domain.search import _CJK_RUN, _WORD, _bigrams
    terms = []
    for word in _WORD.findall(query)[:12]:
        if _CJK_RUN.fullmatch(word):
            grams = _bigrams(word)
            if len(grams) == 1 and len(word) == 1:
                terms.append(f"{_quote(word)}:*")
            else:
                terms.append("(" + " <-> ".join(_quote(g) for g in grams) + ")")
        else:
            folded = _fold(word, _CJK_RUN)
            if folded:
                terms.append(f"{_quote(folded)}:*")
    return " & ".join(terms) if terms else None


def reindex(complaint_id: int, indexed: str) -> None:
    db.execute_sql(
        f"INSERT INTO {TABLE} (id, body) VALUES (%s, CAST(%s AS tsvector)) "
        "ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body",
        (complaint_id, tsvector_text(indexed)))


def match_count(query: str) -> int | None:
    expression = tsquery_text(query)
    if expression is None:
        return None
    return db.execute_sql(f"SELECT count(*) FROM {TABLE} WHERE body @@ CAST(%s AS tsquery)",
                          (expression,)).fetchone()[0]


def filter_query(query, keyword: str, column):
    expression = tsquery_text(keyword)
    if expression is None:
        return query
    return query.where(Expression(column, OP.IN, SQL(
        f"(SELECT id FROM {TABLE} WHERE body @@ CAST(%s AS tsquery))", (expression,))))
