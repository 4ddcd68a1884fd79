"""Configuration read from the environment."""
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    INSTANCE_DIR = Path(os.environ.get("REDRESS_INSTANCE", BASE_DIR / "instance"))
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'redress.db'}")
    UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", INSTANCE_DIR / "uploads"))
    # Issued letters, archive dossiers and letterhead images (never under static/).
    DOCUMENT_DIR = Path(os.environ.get("DOCUMENT_DIR", INSTANCE_DIR / "documents"))
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "10"))
    MAX_CONTENT_LENGTH = (int(os.environ.get("MAX_UPLOAD_MB", "10")) * 5 + 1) * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_MINUTES", "480")) * 60
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "zh_Hans")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per 5 minutes")
    # Signed out after this long without a request (besides SESSION_LIFETIME_MINUTES).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    # LOCKOUT_ATTEMPTS failed sign-ins for one username within LOCKOUT_WINDOW_MINUTES lock
    # it for LOCKOUT_MINUTES (counted in the database: holds across every worker).
    LOCKOUT_ATTEMPTS = int(os.environ.get("LOCKOUT_ATTEMPTS", "5"))
    LOCKOUT_WINDOW_MINUTES = int(os.environ.get("LOCKOUT_WINDOW_MINUTES", "15"))
    LOCKOUT_MINUTES = int(os.environ.get("LOCKOUT_MINUTES", "15"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    PAGE_SIZE = 25
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    # The address the public reaches the app at (e.g. https://complaints.example.org), for
    # links in emails sent outside a request (send-mail, reminders); else the request's host.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
    # The public form (/complain) and the status lookup (/track), per address.
    PUBLIC_MIN_FILL_SECONDS = int(os.environ.get("PUBLIC_MIN_FILL_SECONDS", "3"))
    PUBLIC_COMPLAIN_RATE_LIMIT = os.environ.get("PUBLIC_COMPLAIN_RATE_LIMIT", "5 per hour")
    PUBLIC_TRACK_RATE_LIMIT = os.environ.get("PUBLIC_TRACK_RATE_LIMIT", "10 per minute")
    PUBLIC_ADDITION_RATE_LIMIT = os.environ.get("PUBLIC_ADDITION_RATE_LIMIT", "20 per hour")
    # /healthz answers 503 when the disk holding uploads or documents has less free space (MB).
    HEALTH_MIN_FREE_MB = int(os.environ.get("HEALTH_MIN_FREE_MB", "200"))

    def __init__(self):
        self.SECRET_KEY = _secret_key(self.INSTANCE_DIR)


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    LOGIN_RATE_LIMIT = "1000 per minute"

    def __init__(self, instance: Path):
        self.INSTANCE_DIR = instance
        self.DATABASE_URL = f"sqlite:///{instance / 'test.db'}"
        self.UPLOAD_DIR = instance / "uploads"
        self.DOCUMENT_DIR = instance / "documents"
        self.SECRET_KEY = "test-secret"
