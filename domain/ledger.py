"""The tracking ledger (跟踪台账): the filtered complaint list, one row per complaint with
every stage's end date, due date and on-time flag (as defined in domain/stats_sql.py),
department, investigator, outcome, compensation and satisfaction; as CSV (UTF-8 with a
BOM, so that Excel reads the Chinese) or XLSX (xlsxwriter in constant_memory mode).

Rows come from one SQL statement read with fetchmany in batches, so neither export holds
the whole list in memory: the CSV is a generator the view streams, the XLSX is written row
by row to a temporary file. Text that a spreadsheet would take as a formula (starting with
= + - @, tab or carriage return) is prefixed with an apostrophe."""
import csv
import datetime as dt
import io
import tempfile

from flask_babel import gettext as _
from xlsxwriter import Workbook

from extensions import db
from domain import sqlfn, stats, stats_sql, vocab
from domain.statuses import STATUSES
from domain.stats_sql import STAGES, Cohort

BATCH = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """Plain text for a spreadsheet cell: formulas are neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain_params(params) -> list:
    return [v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, dt.datetime)
            else v.isoformat() if isinstance(v, dt.date) else v for v in params]


def ledger_sql(filter_query, settings: dict, first: dt.date | None,
               excel: bool = False) -> tuple[str, list]:
    """The ledger's statement for the complaints `filter_query` (a Peewee query of
    Complaint, already limited to what the user may see) selects. With `excel`, dates and
    times come as Excel serial numbers (computed by the database: much faster than converting
    100,000 rows of text in Python)."""
    ids_sql, ids_params = filter_query.select(filter_query.model.id).order_by().sql()
    cohort = Cohort(first, None, settings, ids_sql=ids_sql, ids_params=_plain_params(ids_params))
    cte, params = stats_sql.stage_rows_sql(cohort, settings)
    mod = cohort.mod

    def day(expr):
        return sqlfn.excel_serial_sql(expr) if excel else expr

    def moment(column):
        """A stored UTC moment in the organisation's zone: an Excel serial, or the text
        'YYYY-MM-DD HH:MM:SS' (as SQLite's datetime() gives it)."""
        shifted = sqlfn.shift_moment_sql(column, mod)
        if excel:
            return sqlfn.excel_serial_sql(shifted)
        if sqlfn.is_postgres():
            return f"to_char({shifted}, 'YYYY-MM-DD HH24:MI:SS')"
        return shifted

    stage_columns = []
    for code in STAGES:
        stage_columns += [day(f"cs.{code}_end_day"), day(f"cs.{code}_due"), f"cs.{code}_on_time"]
    sql = f"""{cte}
SELECT c.number, {moment("c.received_at")}, c.channel, c.nature, c.severity, c.status,
       d.name, d.name_zh, u.full_name, c.complainant_name, c.rejection_reason,
       inv.facts_verdict, rc.name, rc.name_zh,
       (SELECT SUM(r.amount) FROM proposal p JOIN remedy r ON r.proposal_id = p.id
        WHERE p.complaint_id = c.id AND p."current" = TRUE AND r.waived = FALSE), sat.satisfaction,
       {moment("c.closed_at")}, {", ".join(stage_columns)}
FROM cs JOIN complaint c ON c.id = cs.id
LEFT JOIN department d ON d.id = c.department_id
LEFT JOIN "user" u ON u.id = c.assignee_id
LEFT JOIN investigation inv ON inv.id = (SELECT MAX(i.id) FROM investigation i
                                         WHERE i.complaint_id = c.id)
LEFT JOIN root_cause rc ON rc.id = inv.root_cause_id
LEFT JOIN visit sat ON sat.id = (SELECT MAX(v.id) FROM visit v WHERE v.complaint_id = c.id)
ORDER BY c.received_at DESC, c.id DESC"""
    return sqlfn.params(sql), params


def headers() -> list[str]:
    """Column headers in the current language."""
    cols = [_("Number"), _("Received"), _("Channel"), _("Nature"), _("Severity"), _("Status"),
            _("Department"), _("Investigator"), _("Complainant"), _("Outcome"),
            _("Root cause"), _("Compensation (CNY)"), _("Satisfaction"), _("Closed")]
    for code in STAGES:
        name = str(stats.STAGE_LABELS[code])
        cols += [_("%(stage)s: ended", stage=name), _("%(stage)s: due", stage=name),
                 _("%(stage)s: on time", stage=name)]
    return cols


def _rows(sql, params):
    cursor = db.execute_sql(sql, params)
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            return
        yield from batch


class _Labels:
    """Code → label lookups, resolved once per export in the current language."""

    def __init__(self, zh: bool):
        self.zh = zh
        self.maps = {name: {k: str(v) for k, v in mapping.items()} for name, mapping in (
            ("channel", vocab.CHANNELS), ("nature", vocab.NATURES),
            ("severity", vocab.SEVERITIES), ("status", STATUSES),
            ("verdict", vocab.FACT_VERDICTS))}
        self.yes, self.no = _("Yes"), _("No")
        self.rejected = _("Not accepted")

    def get(self, name, code):
        return self.maps[name].get(code, code or "")

    def row(self, r) -> list:
        (number, received, channel, nature, severity, status, dname, dname_zh, investigator,
         complainant, rejection, verdict, rcname, rcname_zh, amount, satisfaction,
         closed) = r[:17]
        if rejection:
            outcome = f"{self.rejected}: {rejection}"
        else:
            outcome = self.get("verdict", verdict) if verdict else ""
        values = [number, received, self.get("channel", channel), self.get("nature", nature),
                  self.get("severity", severity), self.get("status", status),
                  (dname_zh if self.zh and dname_zh else dname) or "", investigator or "",
                  complainant, outcome, (rcname_zh if self.zh and rcname_zh else rcname) or "",
                  float(amount) if amount is not None else None, satisfaction, closed]
        rest = r[17:]
        for k in range(0, len(rest), 3):
            end, due, on_time = rest[k:k + 3]
            values += [end, due, "" if on_time is None else (self.yes if on_time else self.no)]
        return values


def csv_chunks(sql, params, zh: bool):
    """The CSV, in chunks of text: a BOM, the header and the rows."""
    labels = _Labels(zh)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers())
    n = 0
    for row in _rows(sql, params):
        writer.writerow([safe_text(v) if isinstance(v, str) else ("" if v is None else v)
                         for v in labels.row(row)])
        n += 1
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(sql, params, zh: bool, title: str) -> str:
    """Write the ledger (a ledger_sql(..., excel=True) statement) to a temporary .xlsx file
    (constant memory); returns its path. The caller removes the file after sending it."""
    labels = _Labels(zh)
    handle = tempfile.NamedTemporaryFile(prefix="ledger-", suffix=".xlsx", delete=False)
    handle.close()
    workbook = Workbook(handle.name, {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_urls": False, "strings_to_numbers": False,
                                      "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                "bg_color": "#F3F0EA", "border": 1})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    time_fmt = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    head = headers()
    for col, text in enumerate(head):
        sheet.write_string(0, col, text, bold)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, len(head) - 1, 12)
    sheet.freeze_panes(1, 1)
    row_no = 1
    write_number, write_string = sheet.write_number, sheet.write_string
    for row in _rows(sql, params):
        for col, value in enumerate(labels.row(row)):
            if value is None or value == "":
                continue
            if col in (1, 13):
                write_number(row_no, col, value, time_fmt)
            elif col == 11:
                write_number(row_no, col, value, money)
            elif col == 12:
                write_number(row_no, col, value)
            elif col >= 14 and (col - 14) % 3 in (0, 1):
                write_number(row_no, col, value, date_fmt)
            else:
                write_string(row_no, col, safe_text(value))
        row_no += 1
    sheet.autofilter(0, 0, max(row_no - 1, 1), len(head) - 1)
    workbook.close()
    return handle.name
