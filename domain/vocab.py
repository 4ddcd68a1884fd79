"""The fixed lists a complaint is described with: code → label (translated when shown)."""
from flask_babel import lazy_gettext as _l

CHANNELS = {
    "hotline": _l("Hotline"),
    "online": _l("Online form"),
    "email": _l("Email"),
    "letter": _l("Letter"),
    "walk_in": _l("Walk-in"),
    "group_visit": _l("Group visit"),
    "regulator": _l("Regulator referral"),
}

NATURES = {
    "product_quality": _l("Product quality"),
    "service": _l("Service"),
    "price": _l("Price"),
    "contract": _l("Contract performance"),
    "after_sales": _l("After-sales"),
    "other": _l("Other"),
}

SEVERITIES = {
    "ordinary": _l("Ordinary"),
    "major": _l("Major"),
    "group": _l("Group"),
}

URGENCIES = {
    "normal": _l("Normal"),
    "urgent": _l("Urgent"),
    "critical": _l("Critical"),
}

ROLES = {
    "intake": _l("Intake staff"),
    "investigator": _l("Investigator"),
    "dept_head": _l("Department head"),
    "leader": _l("Leader"),
    "manager": _l("Complaint manager"),
    "auditor": _l("Auditor"),
    "admin": _l("Administrator"),
}

LANGUAGES = {
    "en": "English",
    "zh_Hans": "简体中文",
}

# Field names as shown in the history timeline.
FIELD_LABELS = {
    "channel": _l("Channel"),
    "received_at": _l("Received at"),
    "complainant_name": _l("Complainant"),
    "complainant_phone": _l("Phone"),
    "complainant_email": _l("Email"),
    "complainant_address": _l("Address"),
    "matter": _l("Matter"),
    "demand": _l("Request"),
    "order_ref": _l("Product / order reference"),
    "amount_claimed": _l("Amount claimed"),
    "nature": _l("Nature"),
    "severity": _l("Severity"),
    "urgency": _l("Urgency"),
    "language": _l("Language of correspondence"),
    "regulator_name": _l("Regulator"),
    "regulator_ref": _l("Regulator reference"),
    "regulator_due": _l("Regulator reply deadline"),
    "evidence": _l("Evidence"),
    "department": _l("Department"),
    "assignee": _l("Investigator"),
    "reply_due_on": _l("Reply due"),
    "stage_due_on": _l("Stage due"),
    "investigation_days": _l("Investigation period (working days)"),
    "rejection_reason": _l("Reason for not accepting"),
    "satisfaction": _l("Satisfaction"),
    "remedy": _l("Remedy"),
    "measure": _l("Measure"),
    "letter": _l("Letter"),
    "delivery_method": _l("Delivery method"),
    "delivered_on": _l("Delivered on"),
    # Part D: a group complaint's details.
    "group_headcount": _l("Number of people"),
    "group_location": _l("Location of the group"),
    "group_mood": _l("Mood of the group"),
    "group_core_demands": _l("Core demands"),
    "group_representative_1": _l("Representative 1"),
    "group_representative_2": _l("Representative 2"),
    "group_representative_3": _l("Representative 3"),
}

# Actions as shown in the history timeline.
ACTION_LABELS = {
    "register": _l("Registered"),
    "assess": _l("Assessed"),
    "decide_extension": _l("Extension decided"),
    "accept_result": _l("Complainant accepted the result"),
    "submit_proposal": _l("Proposal submitted"),
    "mark_done": _l("Marked as done"),
    "waive": _l("Waived"),
    "issue_letter": _l("Letter issued"),
    "record_letter_delivery": _l("Letter delivery recorded"),
    "edit": _l("Intake data corrected"),
    "add_evidence": _l("Evidence added"),
    "accept": _l("Accepted"),
    "reject": _l("Rejected"),
    "assign": _l("Assigned"),
    "transfer": _l("Transferred"),
    "confirm_receipt": _l("Receipt confirmed"),
    "submit_investigation": _l("Investigation report submitted"),
    "request_extension": _l("Extension requested"),
    "review": _l("Reviewed by department head"),
    "return_for_rework": _l("Returned for rework"),
    "approve": _l("Approved"),
    "record_response": _l("Response sent"),
    "appeal": _l("Appeal"),
    "refer_out": _l("Referred outside"),
    "record_outcome": _l("Outside outcome recorded"),
    "complete_execution": _l("Execution completed"),
    "record_visit": _l("Return visit"),
    "reopen": _l("Reopened"),
    "close": _l("Closed"),
    "archive": _l("Archived"),
    # Part D: around the complaint.
    "group_handled": _l("Group complaint handled"),
    "emergency_activated": _l("Emergency response activated"),
    "emergency_stood_down": _l("Emergency response stood down"),
    # Part G: personal data.
    "privacy_export": _l("Personal data exported"),
    "anonymise": _l("Personal data anonymised"),
    # Part E: from the complainant's status page.
    "complainant_info": _l("Information from the complainant"),
}


def change_value(field: str, value: str) -> str:
    """A recorded old/new value as shown in the history: codes become their labels."""
    mapping = {"channel": CHANNELS, "nature": NATURES, "severity": SEVERITIES,
               "urgency": URGENCIES, "language": LANGUAGES,
               "delivery_method": RESPONSE_METHODS, "group_mood": MOODS}.get(field)
    return label(mapping, value) if mapping else value


def label(mapping: dict, code) -> str:
    """The label for `code`, or the code itself when it is not in the list."""
    if code in (None, ""):
        return ""
    return str(mapping.get(code, code))

INVESTIGATION_METHODS = {
    "records": _l("Review of records and contracts"),
    "site": _l("Site inspection"),
    "interviews": _l("Interviews"),
    "data": _l("Data analysis"),
}

FACT_VERDICTS = {
    "true": _l("True"),
    "partly": _l("Partly true"),
    "not_true": _l("Not true"),
}

REMEDY_KINDS = {
    "refund": _l("Refund"),
    "replacement": _l("Replacement"),
    "repair": _l("Repair"),
    "payment": _l("Payment"),
    "other": _l("Other"),
}

RESPONSE_METHODS = {
    "post": _l("Post"),
    "email": _l("Email"),
    "in_person": _l("In person"),
    "phone_then_letter": _l("Phone, followed by letter"),
}

DISPUTE_KINDS = {
    "mediation": _l("Mediation (consumer association or regulator)"),
    "arbitration": _l("Arbitration"),
    "litigation": _l("Litigation"),
}

VISIT_METHODS = {
    "phone": _l("Phone"),
    "questionnaire": _l("Questionnaire"),
    "on_site": _l("On-site visit"),
}

# Part D: group complaints, emergencies, accountability, improvement plans.
MOODS = {
    "calm": _l("Calm"),
    "agitated": _l("Agitated"),
    "confrontational": _l("Confrontational"),
}

# Levels of an emergency response, most serious first (一级 … 四级).
EMERGENCY_LEVELS = {
    "I": _l("Level I (extremely serious)"),
    "II": _l("Level II (serious)"),
    "III": _l("Level III (significant)"),
    "IV": _l("Level IV (general)"),
}

# The six roles of the emergency team.
TEAM_ROLES = {
    "coordination": _l("Coordination"),
    "on_site": _l("On-site handling"),
    "negotiation": _l("Negotiation"),
    "analysis": _l("Analysis"),
    "statement": _l("Public statements"),
    "logistics": _l("Logistics"),
}

RESPONSIBILITY_LEVELS = {
    "direct": _l("Direct responsibility"),
    "primary": _l("Primary (managerial) responsibility"),
    "leadership": _l("Leadership responsibility"),
}

# Sanctions, lightest first; "none" is a decision that nobody is to be sanctioned.
SANCTIONS = {
    "none": _l("No sanction"),
    "criticism": _l("Criticism and education"),
    "self_criticism": _l("Written self-criticism"),
    "fine": _l("Fine or bonus deduction"),
    "reassignment": _l("Reassignment"),
    "warning": _l("Disciplinary: warning"),
    "demerit": _l("Disciplinary: demerit"),
    "major_demerit": _l("Disciplinary: major demerit"),
    "demotion": _l("Disciplinary: demotion"),
    "dismissal": _l("Disciplinary: dismissal from post"),
    "expulsion": _l("Disciplinary: expulsion"),
}
SANCTIONS_WITH_AMOUNT = ("fine",)

ACCOUNTABILITY_STATUSES = {
    "investigating": _l("Under investigation"),
    "proposed": _l("Sanction proposed"),
    "decided": _l("Decided"),
    "appealed": _l("Under appeal"),
    "final": _l("Final"),
}

APPEAL_OUTCOMES = {
    "upheld": _l("Decision upheld"),
    "varied": _l("Sanction changed"),
    "revoked": _l("Decision revoked"),
}

PLAN_STATUSES = {
    "active": _l("In progress"),
    "completed": _l("Measures completed"),
    "reviewed": _l("Reviewed"),
}

PLAN_CONCLUSIONS = {
    "effective": _l("Effective"),
    "partly": _l("Partly effective"),
    "not_effective": _l("Not effective"),
}
