"""Documents of a complaint: the archive dossier's download, and the template global the
complaint page uses to show it (complaints/_dossier.html)."""
import hashlib

from flask import abort, current_app, send_file
from flask_login import login_required

from blueprints.complaints import bp
from blueprints.web import get_complaint_or_404
from domain import dossier as dossiers


@bp.app_template_global("complaint_dossier")
def complaint_dossier(complaint):
    """The complaint's archive dossier with who made it (one query), or None."""
    if complaint is None or getattr(complaint, "id", None) is None:
        return None
    return dossiers.for_complaint(complaint.id)


@bp.get("/<int:complaint_id>/dossier.pdf")
@login_required
def dossier_pdf(complaint_id):
    """The stored dossier, exactly as made at archiving (never rendered again; the file is
    checked against its SHA-256 before it is served)."""
    complaint = get_complaint_or_404(complaint_id)
    item = dossiers.for_complaint(complaint.id)
    if item is None:
        abort(404)
    path = dossiers.file_of(current_app.config["DOCUMENT_DIR"], item)
    if not path.is_file():
        current_app.logger.error("dossier of %s: file %s is missing", complaint.number, path)
        abort(404)
    if hashlib.sha256(path.read_bytes()).hexdigest() != item.sha256:
        current_app.logger.error("dossier of %s: file %s does not match its SHA-256",
                                 complaint.number, path)
        abort(500)
    response = send_file(path, mimetype="application/pdf", as_attachment=False,
                         download_name=f"{complaint.number}-dossier.pdf", max_age=0,
                         conditional=True, etag=item.sha256)
    response.headers["Cache-Control"] = "private, no-cache"
    # Our own PDF, opened in the browser's viewer: a sandbox or the pages' style policy can
    # stop Chrome's viewer from drawing it, so only framing is restricted here.
    response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response
