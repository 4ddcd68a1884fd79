"""Analysis (Part F): the dashboard, the ledger export, the analysis report and root causes.

Who may: access.can_see_analysis (else 403); access.analysis_department_scope limits every
figure to a department head's own department. The ledger also goes through
access.visible_complaints (domain/queries.ComplaintFilter.query)."""
import datetime as dt
import os
from zoneinfo import ZoneInfo

from flask import Response, current_app, request, stream_with_context
from flask_babel import format_date, get_locale, gettext as _
from flask_login import current_user

from app import org_settings
from blueprints.analysis import bp
from blueprints.web import active_departments, page_or_fragment, roles_required
from domain import access, charts, ledger, stats, stats_view
from domain import report as analysis_report
from domain.errors import DomainError
from domain.models import Complaint, Department
from domain.queries import ComplaintFilter
from domain.stage_models import RootCause
from domain.vocab import CHANNELS, NATURES, SEVERITIES


def _locale() -> str:
    return str(get_locale() or "zh_Hans")


def period_choices(today: dt.date) -> tuple[list, list]:
    """The last 24 months and 8 quarters, newest first, as (key, label)."""
    zh = _locale().startswith("zh")
    months, quarters = [], []
    day = today.replace(day=1)
    for _n in range(24):
        p = stats.month_period(day)
        months.append((p.key, format_date(p.first, "y年M月" if zh else "MMMM y")))
        day = (day - dt.timedelta(days=1)).replace(day=1)
    p = stats.quarter_period(today)
    for _n in range(8):
        q = p.key[-1]
        quarters.append((p.key, f"{p.first.year}年第{q}季度" if zh else f"Q{q} {p.first.year}"))
        p = p.previous()
    return months, quarters


def _scope_and_department(args) -> tuple:
    """(department id the figures are limited to or None, its Department for display)."""
    scope = access.analysis_department_scope(current_user)
    if scope is not None:
        return scope, Department.get_or_none(Department.id == scope)
    raw = args.get("department") or ""
    return (int(raw) if raw.isdigit() else None), None


def _choice(args, name, allowed) -> str:
    value = args.get(name) or ""
    return value if value in allowed else ""


@bp.get("/")
@roles_required(access.can_see_analysis)
def dashboard():
    settings = org_settings()
    today = stats.org_today(settings)
    errors = {}
    try:
        period = stats.parse_period(request.args.get("period", ""), today)
    except DomainError as e:
        errors["period"] = str(e.message)
        period = stats.month_period(today)
    compare_kind = "year" if request.args.get("compare") == "year" else "previous"
    compare = period.year_before() if compare_kind == "year" else period.previous()
    department, scope_dept = _scope_and_department(request.args)
    filters = stats.Filters(department=department,
                            channel=_choice(request.args, "channel", CHANNELS),
                            nature=_choice(request.args, "nature", NATURES),
                            severity=_choice(request.args, "severity", SEVERITIES))
    trend_unit = "week" if request.args.get("trend") == "week" else "month"
    d = stats.dashboard(period, compare, filters, settings, trend_unit, today)
    v = stats_view.present(d, _locale())
    cohort_args = {"received_from": period.first.isoformat(),
                   "received_to": period.last.isoformat(), "department": department or "",
                   "channel": filters.channel, "nature": filters.nature,
                   "severity": filters.severity}
    cohort_args = {k: v_ for k, v_ in cohort_args.items() if v_}
    drill = {"received": cohort_args, "open": dict(cohort_args, status="open"),
             "overdue": dict(cohort_args, overdue="1")}
    months, quarters = period_choices(today)
    form_values = {"period": period.key, "compare": compare_kind, "department": department,
                   "channel": filters.channel, "nature": filters.nature,
                   "severity": filters.severity, "trend": trend_unit}
    return page_or_fragment(
        "analysis/dashboard.html", "analysis/_dashboard_body.html", 422 if errors else 200,
        d=d, v=v, drill=drill, ledger_args=cohort_args, errors=errors, months=months,
        quarters=quarters, form_values=form_values,
        scope_name=scope_dept.label(_locale()) if scope_dept else None,
        departments=active_departments())


def _ledger_query():
    """The complaint list's filters (plus the department scope) → (query, first date)."""
    f = ComplaintFilter.from_args(request.args)
    scope = access.analysis_department_scope(current_user)
    if scope is not None:
        f.department = scope
    settings = org_settings()
    query = f.query(current_user, ZoneInfo(settings["timezone"]))
    first = f.received_from
    if first is None:
        oldest = query.select(Complaint.received_at).order_by(
            Complaint.received_at).limit(1).scalar()
        first = (stats.local_date(oldest, settings) if oldest else stats.org_today(settings))
    return query, first, settings


def _file_stem() -> str:
    return "投诉跟踪台账" if _locale().startswith("zh") else "complaint-ledger"


@bp.get("/ledger.csv")
@roles_required(access.can_see_analysis)
def ledger_csv():
    query, first, settings = _ledger_query()
    sql, params = ledger.ledger_sql(query, settings, first)
    zh = _locale().startswith("zh")
    response = Response(stream_with_context(ledger.csv_chunks(sql, params, zh)),
                        mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = _disposition(f"{_file_stem()}.csv")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/ledger.xlsx")
@roles_required(access.can_see_analysis)
def ledger_xlsx():
    query, first, settings = _ledger_query()
    sql, params = ledger.ledger_sql(query, settings, first, excel=True)
    path = ledger.write_xlsx(sql, params, _locale().startswith("zh"), _("Ledger"))
    size = os.path.getsize(path)
    response = Response(_file_chunks(path), mimetype="application/vnd.openxmlformats-"
                        "officedocument.spreadsheetml.sheet", direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = _disposition(f"{_file_stem()}.xlsx")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _file_chunks(path, size=256 * 1024):
    """The temporary file's bytes, then the file is removed (also if the client leaves)."""
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(size):
                yield chunk
    finally:
        os.unlink(path)


def _disposition(name: str) -> str:
    from urllib.parse import quote
    return f"attachment; filename=\"{'ledger' + name[name.rfind('.'):]}\"; filename*=UTF-8''{quote(name)}"


@bp.get("/report")
@roles_required(access.can_see_analysis)
def report():
    settings = org_settings()
    today = stats.org_today(settings)
    value = request.args.get("period") or stats.month_period(today).previous().key
    try:
        period = stats.parse_period(value, today)
    except DomainError as e:
        return Response(str(e.message), status=422, mimetype="text/plain")
    scope = access.analysis_department_scope(current_user)
    pdf, _pages = analysis_report.render(period, settings, scope,
                                base_url=str(current_app.config["DOCUMENT_DIR"]))
    language = analysis_report.report_language(settings)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = _disposition(
        analysis_report.file_name(period, language)).replace("attachment", "inline", 1)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


@bp.get("/root-causes")
@roles_required(access.can_see_analysis)
def root_causes():
    settings = org_settings()
    today = stats.org_today(settings)
    errors = {}
    try:
        period = stats.parse_period(request.args.get("period", ""), today)
    except DomainError as e:
        errors["period"] = str(e.message)
        period = stats.month_period(today)
    previous = period.previous()
    scope = access.analysis_department_scope(current_user)
    filters = stats.Filters(department=scope)
    now = {c["id"]: c["count"] for c in stats.root_causes(
        filters.cohort(period.first, period.last, settings), limit=None)}
    before = {c["id"]: c["count"] for c in stats.root_causes(
        filters.cohort(previous.first, previous.last, settings), limit=None)}
    causes = list(RootCause.select().where(RootCause.active | RootCause.id.in_(
        list(now) + list(before) or [0])).order_by(RootCause.code))
    trend = stats.cause_trend([c.id for c in causes], period, settings, scope)
    locale = _locale()
    rows = sorted(({"id": c.id, "label": c.label(locale), "count": now.get(c.id, 0),
                    "previous": before.get(c.id, 0), "trend": trend[c.id]} for c in causes),
                  key=lambda r: (-r["count"], -r["previous"], r["label"]))
    chart = charts.bar_chart(_("Complaints per root cause"),
                             [(r["label"], r["count"]) for r in rows if r["count"]])
    zh = locale.startswith("zh")
    trend_months = [format_date(m, "M月" if zh else "MMM") for m in trend[None]]
    months, quarters = period_choices(today)
    return page_or_fragment("analysis/root_causes.html", "analysis/_causes.html",
                            422 if errors else 200, period=period, previous=previous,
                            rows=rows, chart=chart, trend_months=trend_months, errors=errors,
                            months=months, quarters=quarters, scope=scope,
                            may_plan=access.can_create_plan(current_user))
