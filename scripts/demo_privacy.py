"""Demo data for Part G privacy: one complainant asked for their data (an export logged in
the history) and another, whose complaint was closed, asked to be forgotten (anonymised).
The retention period stays off (0 years), as by default."""
from domain import privacy
from domain.models import Complaint


def seed(users: dict, complaints: list) -> None:
    admin = users["admin"]
    ids = [c.id for c in complaints]
    closed = list(Complaint.select().where(Complaint.id.in_(ids)
                                           & Complaint.status.in_(privacy.CLOSED_STATUSES))
                  .order_by(Complaint.id))
    with_phone = [c for c in Complaint.select().where(Complaint.id.in_(ids)
                                                       & (Complaint.contact_key != ""))
                  .order_by(Complaint.id)]
    # 1. A data subject access request: export everything of one caller.
    exported = None
    if with_phone:
        exported = with_phone[0]
        privacy.export_person(exported.complainant_phone, admin)
    # 2. A closed complaint whose complainant asked to be forgotten.
    for complaint in closed:
        if exported is None or complaint.contact_key != exported.contact_key:
            privacy.anonymise_complaint(complaint.number, admin)
            break
