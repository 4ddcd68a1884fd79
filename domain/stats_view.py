"""The dashboard's figures made ready to show (labels in the current language, charts),
shared by the page (blueprints/analysis) and the PDF report (domain/report.py)."""
from flask_babel import format_date, gettext as _

from domain import charts, stats, vocab
from domain.models import Department


def department_names(locale: str) -> dict:
    return {d.id: d.label(locale) for d in Department.select(Department.id, Department.name,
                                                             Department.name_zh)}


def present(d: dict, locale: str) -> dict:
    """Labels and charts for the figures of stats.dashboard()."""
    depts = department_names(locale)
    no_dept = _("No department")
    b = d["breakdowns"]

    def labelled(kind, mapping):
        return [(vocab.label(mapping, code) if code else _("Not set"), n)
                for code, n in b[kind].items()]

    by_dept = [(depts.get(code, no_dept) if code != "" else no_dept, n)
               for code, n in b["department"].items()]
    stages = d["current"]["stages"]
    stage_rows = []
    for code in stats.STAGES:
        s, p = stages[code], d["previous"]["stages"][code]
        stage_rows.append({"code": code, "label": str(stats.STAGE_LABELS[code]),
                           "unit": str(stats.UNIT_LABELS[s["unit"]]), "now": s, "before": p})
    dept_ids = sorted({dept for code in stats.STAGES
                       for dept in stages[code]["by_department"]},
                      key=lambda i: (i is None, depts.get(i, "")))
    dept_rows = [{"label": depts.get(i, no_dept) if i is not None else no_dept,
                  "id": i, "rates": [stages[code]["by_department"].get(i) for code in stats.STAGES]}
                 for i in dept_ids]
    sat = d["current"]["satisfaction"]
    fmt = "MMM y" if d["trend_unit"] == "month" else "d MMM"
    if locale.startswith("zh"):
        fmt = "y年M月" if d["trend_unit"] == "month" else "M月d日"
    trend_points = [(format_date(t["bucket"], fmt), t["received"], t["rejected"])
                    for t in d["trend"]]
    cause_label = lambda c: c["name_zh"] if locale.startswith("zh") and c["name_zh"] else c["name"]  # noqa: E731
    return {
        "labels": {"channel": labelled("channel", vocab.CHANNELS),
                   "nature": labelled("nature", vocab.NATURES),
                   "severity": labelled("severity", vocab.SEVERITIES),
                   "department": by_dept},
        "stage_rows": stage_rows,
        "dept_rows": dept_rows,
        "cause_label": cause_label,
        "trend_points": trend_points,
        "charts": {
            "channel": charts.bar_chart(_("Complaints received by channel"),
                                        labelled("channel", vocab.CHANNELS)),
            "nature": charts.bar_chart(_("Complaints received by nature"),
                                       labelled("nature", vocab.NATURES)),
            "severity": charts.bar_chart(_("Complaints received by severity"),
                                         labelled("severity", vocab.SEVERITIES)),
            "department": charts.bar_chart(_("Complaints received by department"), by_dept),
            "on_time": charts.bar_chart(
                _("On-time rate per stage (%)"),
                [(r["label"], r["now"]["rate"]) for r in stage_rows], unit=" %"),
            "satisfaction": charts.bar_chart(
                _("Satisfaction at the return visit (number of complaints per score)"),
                [(_("%(score)s of 5", score=k), n) for k, n in sat["distribution"].items()]),
            "causes": charts.bar_chart(_("Top root causes"),
                                       [(cause_label(c), c["count"]) for c in d["causes"]]),
            "trend": charts.column_chart(
                _("Complaints received per week") if d["trend_unit"] == "week"
                else _("Complaints received per month"), trend_points),
        },
    }
