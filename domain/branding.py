"""Letterhead images: the organisation's logo and its electronic seal (电子印章).

An uploaded image is judged by its content (PNG or JPEG only, whatever its name), at most
2 MB; a seal must be a PNG with a transparent background, since it is printed over the
signature. The image is re-encoded: turned upright, shrunk to fit (600 px on the long side
for a logo, 800 px for a seal), transparency kept, metadata (EXIF, text chunks, ICC profile)
left behind. It is stored under DOCUMENT_DIR/branding with a random name, and the settings
keep that name (logo_file / seal_file). Earlier images are never deleted: letters already
issued are PDFs and do not need them, but a previous image stays recoverable.
"""
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from domain.errors import DomainError

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
LONG_SIDE = {"logo": 600, "seal": 800}
SETTING = {"logo": "logo_file", "seal": "seal_file"}
FOLDER = "branding"
_STORED = re.compile(r"^[0-9a-f]{32}\.(png|jpg)$")
_SIGNATURES = {"PNG": b"\x89PNG\r\n\x1a\n", "JPEG": b"\xff\xd8\xff"}


@dataclass
class ProcessedImage:
    data: bytes
    extension: str  # "png" or "jpg"
    width: int
    height: int


def _has_transparency(img: Image.Image) -> bool:
    """True when at least one pixel is not fully opaque."""
    if img.mode not in ("RGBA", "LA", "PA") and "transparency" not in img.info:
        return False
    alpha = img.convert("RGBA").getchannel("A")
    low, _high = alpha.getextrema()
    return low < 255


def check_and_process(kind: str, data: bytes) -> ProcessedImage:
    """The image re-encoded for the letterhead, or a DomainError on the field `kind`."""
    if kind not in LONG_SIDE:
        raise ValueError(kind)
    if not data:
        raise DomainError(_l("The file is empty."), kind)
    if len(data) > MAX_BYTES:
        raise DomainError(_l("The image is larger than 2 MB."), kind)
    fmt = next((name for name, magic in _SIGNATURES.items() if data.startswith(magic)), None)
    if fmt is None or (kind == "seal" and fmt != "PNG"):
        raise DomainError(_l("The seal must be a PNG image with a transparent background.")
                          if kind == "seal" else _l("Only PNG or JPEG images are accepted."),
                          kind)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != fmt:
                raise DomainError(_l("Only PNG or JPEG images are accepted."), kind)
            width, height = probe.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise DomainError(_l("The image is too large in pixels."), kind)
            probe.verify()  # checksums and structure, without decoding the pixels
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            img = ImageOps.exif_transpose(opened)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        raise DomainError(_l("The image could not be read; it may be damaged."), kind)

    transparent = _has_transparency(img)
    if kind == "seal" and not transparent:
        raise DomainError(_l("The seal must be a PNG image with a transparent background."),
                          kind)
    mode = "RGBA" if transparent else "RGB"
    img = img.convert(mode)
    img.thumbnail((LONG_SIDE[kind], LONG_SIDE[kind]), Image.Resampling.LANCZOS)
    # A fresh image carries none of the original's metadata (EXIF, text, ICC profile).
    clean = Image.frombytes(mode, img.size, img.tobytes())
    out = io.BytesIO()
    if fmt == "JPEG" and mode == "RGB":
        clean.save(out, "JPEG", quality=90, optimize=True)
        extension = "jpg"
    else:
        clean.save(out, "PNG", optimize=True)
        extension = "png"
    return ProcessedImage(out.getvalue(), extension, clean.width, clean.height)


def store(document_dir: Path, image: ProcessedImage) -> str:
    """Write the image under a new random name; return that name (the setting's value)."""
    folder = Path(document_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{image.extension}"
    path = folder / name
    path.write_bytes(image.data)
    path.chmod(0o640)
    return name


def path_of(document_dir: Path, stored_name: str) -> Path | None:
    """The stored image's path, or None for a name this module never gives out."""
    if not stored_name or not _STORED.match(stored_name):
        return None
    path = Path(document_dir) / FOLDER / stored_name
    return path if path.is_file() else None
