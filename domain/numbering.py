"""Complaint numbers (TS-2026-000123) and public lookup codes."""
import hashlib
import secrets

from domain.models import NumberSequence

LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LOOKUP_LENGTH = 12


def next_number(prefix: str, year: int, padding: int) -> str:
    """The next number for `prefix` and `year`. Call inside the write transaction.

    One atomic upsert per number: under BEGIN IMMEDIATE (SQLite) or the row lock
    (PostgreSQL) two concurrent intakes can never get the same value.
    """
    name = f"{prefix}-{year}"
    rows = (NumberSequence
             .insert(name=name, value=1)
             .on_conflict(conflict_target=[NumberSequence.name],
                          update={NumberSequence.value: NumberSequence.value + 1})
             .returning(NumberSequence.value)
             .tuples()
             .execute())
    number = list(rows)[0][0]
    return f"{prefix}-{year}-{int(number):0{int(padding)}d}"


def new_lookup_code() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_LENGTH))


def hash_lookup_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()
