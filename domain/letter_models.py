"""Letters issued to complainants, editable letter texts, and archive dossiers."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from domain.models import BaseModel, Complaint, User, utcnow


class LetterText(BaseModel):
    """An organisation's own wording of a letter's free-text paragraphs (JSON object), per
    kind and language. The newest active row is used; going back to the default makes it
    inactive (nothing is deleted)."""
    kind = CharField(max_length=24)
    language = CharField(max_length=10)
    paragraphs = TextField()
    active = BooleanField(default=True)
    updated_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("kind", "language", "active"), False),)


class Letter(BaseModel):
    """An issued letter: rendered once to PDF, stored with its SHA-256, never regenerated.
    Issuing again makes a new version; the old one stays."""
    complaint = ForeignKeyField(Complaint, backref="letters", on_delete="RESTRICT")
    kind = CharField(max_length=24)
    version = IntegerField()
    language = CharField(max_length=10)
    reference = CharField(max_length=60, unique=True)
    paragraphs = TextField()  # the free text as issued (JSON object)
    stored_name = CharField(max_length=80, unique=True)
    sha256 = CharField(max_length=64)
    size = IntegerField()
    pages = IntegerField()
    issued_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    issued_at = DateTimeField(default=utcnow)
    delivery_method = CharField(max_length=20, default="")
    delivered_on = DateField(null=True)
    delivery_recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")

    class Meta:
        indexes = ((("complaint", "kind", "version"), True),)


class Dossier(BaseModel):
    """The archive dossier (PDF/A) made once when the complaint is archived."""
    complaint = ForeignKeyField(Complaint, backref="dossiers", unique=True,
                                on_delete="RESTRICT")
    stored_name = CharField(max_length=80, unique=True)
    sha256 = CharField(max_length=64)
    size = IntegerField()
    pages = IntegerField()
    created_by = ForeignKeyField(User, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)


LETTER_MODELS = [LetterText, Letter, Dossier]
