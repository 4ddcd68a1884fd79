"""SQL that differs between SQLite and PostgreSQL, in one place.

Two kinds of helper:
- `*_sql(...)` return a fragment of raw SQL text, for the hand-written statements
  (domain/stats*.py, ledger, report); the arguments are SQL expressions (column names,
  or already-safe literals), never user input;
- the others return peewee expressions, for the query builder.

Stored moments are naive UTC. On SQLite they are text ("YYYY-MM-DD HH:MM:SS[.ffffff]"),
on PostgreSQL `timestamp without time zone`; dates are text / `date`. Every helper returns
what the SQLite code used before, unchanged, so only the PostgreSQL branch is new.

Raw statements are written with `?` placeholders (SQLite's); `params(sql)` turns them into
the current database's placeholder (`%s` on PostgreSQL) — call it on every raw statement
passed to db.execute_sql.
"""
import re

from peewee import SQL, NodeList, fn

from extensions import db


def is_postgres() -> bool:
    from peewee import PostgresqlDatabase
    return isinstance(db.obj, PostgresqlDatabase)


# --- placeholders --------------------------------------------------------------------------

_TOKENS = re.compile(r"'(?:[^']|'')*'|%[s%]|\?|%")


def params(sql: str) -> str:
    """`sql` with its `?` placeholders in the current database's style (`%s` on PostgreSQL).

    A statement may mix both styles (a peewee-built subquery inside a hand-written one):
    `%s` and `%%` outside quotes are kept; any other `%` is doubled (psycopg reads %),
    every one inside quotes too; a `?` inside quotes is text. With no `?` placeholder the
    statement is returned as is."""
    if not is_postgres():
        return sql
    found = False

    def swap(match):
        nonlocal found
        token = match.group()
        if token == "?":
            found = True
            return "%s"
        if token == "%":
            return "%%"
        if token.startswith("'"):
            return token.replace("%", "%%")
        return token
    converted = _TOKENS.sub(swap, sql)
    return converted if found else sql


# --- raw SQL fragments ---------------------------------------------------------------------

def local_date_sql(moment: str, minutes: int) -> str:
    """The calendar date of the UTC moment `moment` in a zone `minutes` ahead of UTC
    (SQLite: date(x, '+480 minutes'))."""
    if is_postgres():
        return f"CAST(({moment}) + INTERVAL '{int(minutes)} minutes' AS date)"
    return f"date({moment}, '{int(minutes):+d} minutes')"


def date_literal_sql(day) -> str:
    """A date (a datetime.date we make, never user input) as an SQL literal: text on SQLite
    (how dates are stored there), a typed date on PostgreSQL."""
    return f"DATE '{day.isoformat()}'" if is_postgres() else f"'{day.isoformat()}'"




def local_date_mod_sql(moment: str, mod: str) -> str:
    """As local_date_sql, given SQLite's modifier text ('+480 minutes') as stats_sql keeps it."""
    if is_postgres():
        return f"CAST(({moment}) + INTERVAL '{_mod_minutes(mod)} minutes' AS date)"
    return f"date({moment}, '{mod}')"


def local_month_start_sql(moment: str, mod: str) -> str:
    """'YYYY-MM-01' (text) of the local month of `moment` (SQLite: strftime('%Y-%m-01', x, mod))."""
    if is_postgres():
        return (f"to_char(({moment}) + INTERVAL '{_mod_minutes(mod)} minutes', "
                f"'YYYY-MM-01')")
    return f"strftime('%Y-%m-01', {moment}, '{mod}')"


def add_days_sql(day: str, days: int) -> str:
    """The date `days` after the date `day` (SQLite: date(x, '+N days'))."""
    if is_postgres():
        return f"(CAST({day} AS date) + {int(days)})"
    return f"date({day}, '{int(days):+d} days')"


def days_between_sql(later: str, earlier: str) -> str:
    """Days (fractional for moments) from `earlier` to `later` (SQLite: julianday(a) - julianday(b))."""
    if is_postgres():
        return (f"(EXTRACT(EPOCH FROM (CAST({later} AS timestamp) - CAST({earlier} AS timestamp)))"
                f" / 86400.0)")
    return f"(julianday({later}) - julianday({earlier}))"


def excel_serial_sql(moment: str) -> str:
    """An Excel date serial (days since 1899-12-30, fraction = time of day)
    (SQLite: julianday(x) - 2415018.5)."""
    if is_postgres():
        return (f"(EXTRACT(EPOCH FROM (CAST({moment} AS timestamp) - TIMESTAMP '1899-12-30'))"
                f" / 86400.0)")
    return f"(julianday({moment}) - 2415018.5)"


def shift_moment_sql(moment: str, mod: str) -> str:
    """The moment moved by SQLite's modifier ('+480 minutes') (SQLite: datetime(x, mod))."""
    if is_postgres():
        return f"(({moment}) + INTERVAL '{_mod_minutes(mod)} minutes')"
    return f"datetime({moment}, '{mod}')"


def count_if_sql(condition: str) -> str:
    """How many rows meet `condition` (SQLite's SUM(cond) sums booleans; PostgreSQL cannot)."""
    return f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"




def temp_table_sql(name: str) -> str:
    """How a TEMP table is named in a statement (SQLite: temp.x; PostgreSQL: pg_temp.x)."""
    return f"pg_temp.{name}" if is_postgres() else f"temp.{name}"




def moment_literal(moment) -> str:
    """A stored moment as a parameter value: text on SQLite, the datetime itself on
    PostgreSQL (both compare as moments)."""
    if is_postgres():
        return moment
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _mod_minutes(mod: str) -> int:
    number, unit = mod.strip().split()
    value = int(number)
    if unit.startswith("hour"):
        return value * 60
    if unit.startswith("day"):
        return value * 1440
    if not unit.startswith("minute"):
        raise ValueError(f"unsupported modifier: {mod}")
    return value


# --- peewee expressions --------------------------------------------------------------------

def local_date(moment, minutes: int):
    """Peewee: the local calendar date of a UTC moment column, `minutes` ahead of UTC."""
    if is_postgres():
        return fn.DATE(moment + SQL(f"interval '{int(minutes)} minutes'"))
    return fn.date(moment, f"{int(minutes):+d} minutes")


def days_between(later, earlier):
    """Peewee: days (fractional) from `earlier` to `later`."""
    if is_postgres():
        return fn.EXTRACT(NodeList((SQL("EPOCH FROM"), later - earlier))) / 86400.0
    return fn.julianday(later) - fn.julianday(earlier)
