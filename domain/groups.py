"""Group complaints (群体投诉): the crowd's details and the alert until handled."""
from domain.group_models import GroupDetail
from domain.models import Complaint
from domain.statuses import OPEN_STATUSES


def unhandled_groups(limit: int = 20) -> list[GroupDetail]:
    """Open group complaints nobody has recorded as handled, newest first."""
    return list(GroupDetail.select(GroupDetail, Complaint).join(Complaint)
                .where(GroupDetail.handled_at.is_null()
                       & Complaint.status.in_(OPEN_STATUSES))
                .order_by(Complaint.received_at.desc()).limit(limit))
