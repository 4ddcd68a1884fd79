"""Evidence files: type checked by content, stored outside static/ under a random name."""
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask_babel import lazy_gettext as _l

from domain.errors import DomainError

log = logging.getLogger(__name__)

# Detected MIME type → extension a download is given when its name says otherwise.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "audio/mpeg": "mp3",
    "audio/x-wav": "wav",
    "audio/m4a": "m4a",
    "video/mp4": "mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/plain": "txt",
}
ALLOWED_DESCRIPTION = "PDF, JPG, PNG, GIF, WEBP, HEIC, MP3, WAV, M4A, MP4, DOCX, XLSX, TXT"
MAX_NAME = 200


@dataclass
class CheckedFile:
    original_name: str
    data: bytes
    mime_type: str
    sha256: str


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    # Markup disguised as a text file is refused: a browser could run it.
    return not _MARKUP.search(text[:4096])


def check_file(name: str, data: bytes, max_bytes: int) -> CheckedFile:
    """Refuse empty, oversize or not-allowed files (judged by their content, not their name)."""
    clean = Path(name or "file").name.replace("\x00", "")[-MAX_NAME:] or "file"
    if not data:
        raise DomainError(_l("The file %(name)s is empty.", name=clean), "evidence")
    if len(data) > max_bytes:
        raise DomainError(_l("The file %(name)s is larger than %(mb)s MB.", name=clean,
                             mb=max_bytes // (1024 * 1024)), "evidence")
    kind = filetype.guess(data)
    mime = kind.mime if kind else ("text/plain" if _is_plain_text(data) else None)
    if mime not in ALLOWED:
        raise DomainError(_l("The file %(name)s is not an allowed type (%(types)s).",
                             name=clean, types=ALLOWED_DESCRIPTION), "evidence")
    return CheckedFile(clean, data, mime, hashlib.sha256(data).hexdigest())


def store(upload_dir: Path, checked: CheckedFile) -> str:
    """Write the file under a random name; return that name."""
    stored = secrets.token_hex(16)
    folder = Path(upload_dir) / stored[:2]
    path = folder / stored
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(checked.data)
        path.chmod(0o640)
    except OSError as e:  # disk full, read-only, quota: no half-written file, a clear message
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
        log.error("could not store upload %s: %s", path, e)
        raise DomainError(_l("The file %(name)s could not be saved: the server has no room "
                             "for it. Nothing was saved; try again later or tell the "
                             "administrator.", name=checked.original_name), "evidence") from e
    return stored


def store_all(upload_dir: Path, checked: list[CheckedFile]) -> list[str]:
    """Store every file, or none: when one cannot be written (disk full), the ones already
    written are removed and the DomainError of `store` is raised."""
    stored: list[str] = []
    try:
        for c in checked:
            stored.append(store(upload_dir, c))
    except DomainError:
        for name in stored:
            path_of(upload_dir, name).unlink(missing_ok=True)
        raise
    return stored


def download_name(original_name: str, mime_type: str) -> str:
    """The original name, with the extension of the detected type when it differs."""
    ext = ALLOWED.get(mime_type, "bin")
    suffix = Path(original_name).suffix.lower().lstrip(".")
    same = suffix == ext or (ext == "jpg" and suffix == "jpeg")
    return original_name if same else f"{original_name}.{ext}"


def path_of(upload_dir: Path, stored_name: str) -> Path:
    return Path(upload_dir) / stored_name[:2] / stored_name
