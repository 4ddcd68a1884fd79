"""The monthly / quarterly complaint analysis report (投诉分析报告) as a PDF: the dashboard's
figures and charts for the period against the previous one, the top root causes with
example complaints, the cases overdue now, and the improvement plans with their
effectiveness reviews. Rendered from templates/analysis/report_pdf.html in the
organisation's letter language (setting letter_language) through domain/letters.render_pdf.
"""
import datetime as dt
import warnings
from pathlib import Path

from flask import render_template
from flask_babel import force_locale
from peewee import JOIN

from extensions import db
from domain import letters, sqlfn, stats, stats_sql, stats_view
from domain.models import Complaint, Department, User, utcnow
from domain.oversight_models import ImprovementPlan, PlanReview
from domain.stats_sql import NEWEST_CAUSE_SQL
from domain.statuses import OPEN_STATUSES

EXAMPLES_PER_CAUSE = 3
OVERDUE_LIMIT = 30


def report_language(settings: dict) -> str:
    return "en" if settings.get("letter_language") == "en" else "zh_Hans"


def cause_examples(cohort, cause_ids: list[int]) -> dict:
    """Up to three recent complaints per root cause of the cohort (one statement, ranked
    with a window function)."""
    if not cause_ids:
        return {}
    where, params = cohort.where()
    marks = ",".join("?" * len(cause_ids))
    sql = f"""SELECT cause, id, number, matter FROM (
        SELECT i.root_cause_id AS cause, c.id, c.number, c.matter,
               ROW_NUMBER() OVER (PARTITION BY i.root_cause_id
                                  ORDER BY c.received_at DESC, c.id DESC) AS rn
        FROM complaint c JOIN investigation i ON i.id = {stats_sql.NEWEST_INVESTIGATION_SQL}
        WHERE i.root_cause_id IN ({marks}) AND {where}) AS ranked
        WHERE rn <= {EXAMPLES_PER_CAUSE} ORDER BY cause, rn"""
    rows = db.execute_sql(sqlfn.params(sql), list(cause_ids) + params).fetchall()
    out: dict = {}
    for cause, cid, number, matter in rows:
        text = " ".join((matter or "").split())
        out.setdefault(cause, []).append(
            {"id": cid, "number": number, "matter": text[:80] + ("…" if len(text) > 80 else "")})
    return out


def overdue_cases(today: dt.date, department=None, limit: int = OVERDUE_LIMIT) -> tuple[list, int]:
    """Open complaints whose current stage is overdue now, most overdue first."""
    dept = Department.alias()
    query = (Complaint.select(Complaint.id, Complaint.number, Complaint.status,
                              Complaint.stage_due_on, Complaint.received_at,
                              dept.name.alias("dept_name"), dept.name_zh.alias("dept_name_zh"))
             .join(dept, on=(Complaint.department == dept.id), join_type=JOIN.LEFT_OUTER)
             .where(Complaint.status.in_(OPEN_STATUSES) & (Complaint.stage_due_on < today)))
    if department is not None:
        query = query.where(Complaint.department == department)
    total = query.count()
    rows = list(query.order_by(Complaint.stage_due_on, Complaint.id).limit(limit).objects())
    for r in rows:
        r.days_overdue = (today - r.stage_due_on).days
    return rows, total


def plans_for(period: stats.Period, department=None) -> tuple[list, dict]:
    """Plans running during the period (started on or before its end, not ended before its
    start) and every review of them, newest first."""
    query = (ImprovementPlan.select(ImprovementPlan, User.full_name.alias("owner_name"))
             .join(User, on=(ImprovementPlan.owner == User.id))
             .where((ImprovementPlan.starts_on <= period.last)
                    & ((ImprovementPlan.ends_on >= period.first)
                       | (ImprovementPlan.status != "reviewed")))
             .order_by(ImprovementPlan.starts_on.desc(), ImprovementPlan.id.desc()))
    if department is not None:
        query = query.where(ImprovementPlan.department == department)
    plan_list = list(query.objects())
    reviews: dict = {}
    if plan_list:
        for r in (PlanReview.select().where(PlanReview.plan.in_([p.id for p in plan_list]))
                  .order_by(PlanReview.reviewed_at.desc())):
            reviews.setdefault(r.plan_id, []).append(r)
    return plan_list, reviews


def gather(period: stats.Period, settings: dict, department=None, today=None) -> dict:
    today = today or stats.org_today(settings)
    filters = stats.Filters(department=department)
    figures = stats.dashboard(period, period.previous(), filters, settings,
                              "week" if period.kind == "month" else "month", today)
    cohort = filters.cohort(period.first, period.last, settings)
    examples = cause_examples(cohort, [c["id"] for c in figures["causes"]])
    overdue, overdue_total = overdue_cases(today, department)
    plan_list, reviews = plans_for(period, department)
    scope_name = None
    if department is not None:
        d = Department.get_or_none(Department.id == department)
        scope_name = d
    return {"d": figures, "examples": examples, "overdue": overdue,
            "overdue_total": overdue_total, "plans": plan_list, "reviews": reviews,
            "scope": scope_name, "made_at": utcnow()}


def render_html(context: dict, settings: dict, language: str) -> str:
    with force_locale(language):
        locale = language
        view = stats_view.present(context["d"], locale)
        return render_template("analysis/report_pdf.html", language=language, org=settings,
                               v=view, **context)


def render(period: stats.Period, settings: dict, department=None, base_url: str = ".",
           language: str | None = None) -> tuple[bytes, int]:
    """PDF bytes and page count of the report for `period`."""
    language = language or report_language(settings)
    html = render_html(gather(period, settings, department), settings, language)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        return letters.render_pdf(html, base_url=base_url)


def file_name(period: stats.Period, language: str) -> str:
    prefix = "投诉分析报告" if language == "zh_Hans" else "complaint-analysis"
    return f"{prefix}-{period.key}.pdf"


def write(period: stats.Period, settings: dict, document_dir, department=None) -> Path:
    """Render and store the report under DOCUMENT_DIR/reports/; returns the path."""
    pdf, _pages = render(period, settings, department, base_url=str(document_dir))
    folder = Path(document_dir) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"complaint-analysis-{period.key}.pdf"
    path.write_bytes(pdf)
    return path


__all__ = ["gather", "render", "render_html", "write", "file_name", "NEWEST_CAUSE_SQL"]
