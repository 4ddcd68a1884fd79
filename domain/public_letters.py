"""The acknowledgement of receipt for a complaint sent through the online form.

Issued like any letter of Part C (numbered, rendered once, stored with its SHA-256, an
"issue_letter" event in the history) so that staff see it among the complaint's letters and
the complainant finds it on the status page. Nobody on the staff acts, so the system
account "online" issues it through domain.letters.issue(system=True), with the
organisation's wording in the complainant's language and the lookup code printed in it
(the complainant has just been shown it).
"""
from pathlib import Path

from domain import accounts, letter_context, letters
from domain.letter_models import Letter
from domain.models import Complaint

KIND = "acknowledgement"


def issue_acknowledgement(complaint: Complaint, lookup_code: str, language: str, *,
                          settings: dict, document_dir: Path) -> Letter:
    """Number, render and store the acknowledgement; record it in the history."""
    paragraphs = letters.default_paragraphs(KIND, language)
    context = letter_context.build(complaint, KIND, settings, document_dir, for_pdf=True,
                                   lookup_code=lookup_code)
    return letters.issue(complaint, KIND, language, paragraphs, accounts.system_user("online"),
                         context=context, document_dir=document_dir, settings=settings,
                         system=True)
