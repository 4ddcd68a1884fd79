"""Documents of a complaint: the archive dossier's download, and the template global the
complaint page uses to show it (complaints/_dossier.html)."""
from flask import abort, current_app
from flask_login import login_required

from blueprints.complaints import bp
from blueprints.web import get_complaint_or_404, send_stored_pdf
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
    complaint = get_complaint_or_404(complaint_id, need="files")
    item = dossiers.for_complaint(complaint.id)
    if item is None:
        abort(404)
    return send_stored_pdf(dossiers.file_of(current_app.config["DOCUMENT_DIR"], item),
                           item.sha256, f"{complaint.number}-dossier.pdf",
                           f"dossier of {complaint.number}")
