"""One accountability record: its page (or its panel for htmx), the steps (one POST each,
re-rendering the panel), the confidential record as a PDF, and its evidence files.

Someone who may not see the record gets 404 everywhere, so that its existence is not
revealed; someone who may see it but not take a step gets 403; a stale page 409; bad input
422 with the message beside the field. Every GET writes a view-log row."""
from decimal import Decimal

from flask import (abort, current_app, flash, make_response, redirect, render_template,
                   send_file, url_for)
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from app import org_settings
from blueprints.accountability import bp
from blueprints.accountability.forms import STEPS
from blueprints.web import is_fragment_request, page_or_fragment
from domain import access, letters, record_history, uploads
from domain import accountability as acc
from domain import accountability_queries as queries
from domain.deadlines import local_date
from domain.errors import Conflict, DomainError, Forbidden
from domain.models import Department, User, utcnow
from domain.oversight_models import AccountabilityEvidence, AccountabilityRecord

VIEW_KINDS = {"page": _l("Page"), "fragment": _l("Page section"), "pdf": _l("PDF"),
              "evidence": _l("Evidence file"), "export": _l("Export")}
WRONG_STAGE = _l("This step is no longer possible at the record's current stage. Nothing "
                 "was saved; the page now shows the record as it is.")


def _today():
    return local_date(utcnow(), org_settings())


def load_record_or_404(record_id: int) -> AccountabilityRecord:
    """The record if the current user may see it (else 404: its existence stays hidden),
    made final first if its appeal period has ended."""
    record = AccountabilityRecord.get_or_none(AccountabilityRecord.id == record_id)
    if record is None or not access.can_view_accountability(current_user, record):
        abort(404)
    return acc.finalise_if_expired(record, _today())


def _people(record) -> dict:
    ids = {record.subject_id, record.opened_by_id, record.proposed_by_id,
           record.decided_by_id, record.appeal_decided_by_id} - {None}
    return {u.id: u for u in User.select().where(User.id.in_(ids))}


def _fresh_forms(record, steps) -> dict:
    forms = {}
    for step in steps:
        form_class = STEPS[step][0]
        data = {"version": record.version}
        if step == "findings":
            data.update(level=record.level, findings=record.findings)
        if step == "decide":
            data.update(sanction=record.proposed_sanction,
                        amount=str(record.proposed_amount or "") or None)
        forms[step] = form_class(formdata=None, data=data, prefix=step)
    return forms


def _context(record, form=None, notice=None, success=False) -> dict:
    today = _today()
    steps = acc.available_steps(current_user, record, today)
    forms = _fresh_forms(record, steps)
    messages = [str(notice)] if notice else []
    if form is not None:
        if form._prefix.rstrip("-") in forms:
            forms[form._prefix.rstrip("-")] = form
        else:
            messages += [m for errors in form.errors.values() for m in errors]
    may_see_log = acc.can_see_view_log(current_user)
    views, view_total = queries.view_log(record) if may_see_log else ([], 0)
    department = (Department.get_or_none(Department.id == record.subject_department_id)
                  if record.subject_department_id else None)
    events = record_history.events_of(record)
    decided_sanction, decided_amount = _as_decided(record, events)
    return {
        "r": record, "people": _people(record), "department": department,
        "complaint": record.complaint if record.complaint_id else None,
        "evidence": list(record.evidence.order_by(AccountabilityEvidence.uploaded_at)),
        "events": events, "event_data": record_history.event_data,
        "event_labels": acc.EVENT_LABELS, "field_labels": acc.FIELD_LABELS,
        "acc_value": acc.value_label, "view_kinds": VIEW_KINDS,
        "decided_sanction": decided_sanction, "decided_amount": decided_amount,
        "steps": steps, "forms": forms, "step_titles": STEPS, "today": today,
        "notice": {"messages": messages, "success": success} if messages else None,
        "may_see_log": may_see_log, "views": views, "view_total": view_total,
        "is_person": record.subject_id == current_user.id,
        "reader": access.reads_all_accountability(current_user),
    }


def _as_decided(record, events):
    """The sanction and amount as first decided (an appeal decision may have changed them:
    its event recorded the old values)."""
    sanction, amount = record.sanction, record.amount
    for event in events:
        if event.action == "appeal_decided":
            for name, old, _new in record_history.event_data(event).get("changes", []):
                if name == "sanction":
                    sanction = old
                elif name == "amount":
                    amount = Decimal(old) if old else None
    return sanction, amount


def _panel(record, status=200, **kwargs):
    return page_or_fragment("accountability/show.html", "accountability/_panel.html", status,
                            **_context(record, **kwargs))


@bp.get("/<int:record_id>")
@login_required
def show(record_id):
    record = load_record_or_404(record_id)
    queries.log_views([record], current_user, "fragment" if is_fragment_request() else "page")
    return _panel(record)


@bp.post("/<int:record_id>/act/<step>")
@login_required
def act(record_id, step):
    if step not in STEPS:
        abort(404)
    record = load_record_or_404(record_id)
    form = STEPS[step][0](prefix=step)
    version = form.posted_version()
    if not acc.may_take(current_user, record, step):
        abort(403)
    if version != record.version:
        form.version.data = record.version
        return _panel(record, 409, form=form, notice=acc.STALE)
    if record.status not in acc.STEP_STATUSES[step]:
        return _panel(record, 409, notice=_appeal_too_late(record, step) or WRONG_STAGE)
    if not form.validate_on_submit():
        return _panel(record, 422, form=form)
    try:
        record = _take(step, record, form, version)
    except Forbidden:
        abort(403)
    except Conflict as e:
        return _panel(AccountabilityRecord.get_by_id(record.id), 409, notice=e.message)
    except DomainError as e:
        target = form[e.field] if e.field in form else None
        if target is not None:
            target.errors = list(target.errors) + [str(e.message)]
        return _panel(record, 422, form=form, notice=None if target is not None else e.message)
    done = _("Saved. The record is now: %(status)s.",
             status=str(acc.value_label("status", record.status)))
    if is_fragment_request():
        return _panel(record, 200, notice=done, success=True)
    flash(done, "success")
    return redirect(url_for("accountability.show", record_id=record.id), 303)


def _appeal_too_late(record, step):
    if step in ("appeal", "accept") and record.status == "final" and not record.appealed_at \
            and record.appeal_due_on:
        return _("The appeal period ended on %(date)s; an appeal is no longer possible.",
                 date=record.appeal_due_on.isoformat())
    return None


def _take(step, record, form, version):
    user, data = current_user._get_current_object(), form.data
    if step == "findings":
        return acc.update_findings(record, user, data["findings"], data["level"], version)
    if step == "evidence":
        files = [(f.filename, f.read()) for f in (data["evidence"] or []) if f and f.filename]
        return acc.add_evidence(record, user, files, upload_dir=current_app.config["UPLOAD_DIR"],
                                max_bytes=int(org_settings()["max_upload_mb"]) * 1024 * 1024,
                                note=data["note"] or "", version=version)
    if step == "propose":
        return acc.propose(record, user, data["sanction"], data["amount"], data["note"], version)
    if step == "decide":
        return acc.decide(record, user, data["sanction"] or None, data["amount"],
                          data["note"] or "", version, settings=org_settings())
    if step == "accept":
        return acc.accept(record, user, version)
    if step == "appeal":
        return acc.appeal(record, user, data["text"], version, today=_today())
    return acc.decide_appeal(record, user, data["outcome"], data["sanction"] or None,
                             data["amount"], data["note"], version)


@bp.get("/<int:record_id>/record.pdf")
@login_required
def pdf(record_id):
    """The confidential record / decision document, rendered now in the viewer's language."""
    record = load_record_or_404(record_id)
    queries.log_views([record], current_user, "pdf")
    context = _context(record)
    language = "zh_Hans" if str(get_locale()).startswith("zh") else "en"
    html = render_template("accountability/record_pdf.html", language=language,
                           org=org_settings(), now=utcnow(), viewer=current_user,
                           local_day=lambda moment: local_date(moment, org_settings()),
                           **context)
    body, _pages = letters.render_pdf(html, base_url=str(current_app.config["DOCUMENT_DIR"]))
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{record.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


@bp.get("/<int:record_id>/evidence/<int:evidence_id>")
@login_required
def evidence_file(record_id, evidence_id):
    record = load_record_or_404(record_id)
    item = AccountabilityEvidence.get_or_none((AccountabilityEvidence.id == evidence_id)
                                              & (AccountabilityEvidence.record == record.id))
    if item is None:
        abort(404)
    path = uploads.path_of(current_app.config["UPLOAD_DIR"], item.stored_name)
    if not path.is_file():
        current_app.logger.error("accountability evidence %s: file missing", item.id)
        abort(404)
    queries.log_views([record], current_user, "evidence")
    response = send_file(path, mimetype=item.mime_type, as_attachment=True,
                         download_name=uploads.download_name(item.original_name, item.mime_type),
                         max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
