"""Configuration defaults; the instance folder and the environment override them."""

import os
import secrets
from pathlib import Path


class Config:
    """Defaults for every deployment."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    API_TOKEN_LIFETIME_HOURS = 24
    PASSWORD_HASH_METHOD = "scrypt"
    TIMEZONE = os.environ.get("TIMEZONE", "UTC")
    # Until the school's time zone is chosen (it is kept in the database; TIMEZONE stands in for it), a
    # teacher is asked for it before the teacher pages. 0 never asks: TIMEZONE is used until one is set.
    ASK_SCHOOL_TIME_ZONE = os.environ.get("ASK_SCHOOL_TIME_ZONE", "1") == "1"
    MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")
    # Set SESSION_COOKIE_SECURE=1 when the app is served over HTTPS (behind a reverse proxy, say).
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto/-Host.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Redis for several server processes: live games' events fan out through it (quizapp/live).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # Redis's publish/subscribe channels are shared by every database number: two deployments (or test
    # runs) on one Redis need channels of their own, or each pushes the other's games (``game:<id>``).
    LIVE_REDIS_CHANNEL = os.environ.get("LIVE_REDIS_CHANNEL", "quizapp-live")
    # The largest message a browser may send over the live games' socket (an answer is far smaller).
    LIVE_MAX_MESSAGE_BYTES = 16 * 1024
    # 0 in a process that serves only pages and the API (`make serve`'s sync workers): /socket.io/ is then a
    # quick 404 there rather than a long poll holding a sync worker; the live process serves the socket.
    LIVE_SOCKET = os.environ.get("LIVE_SOCKET", "1") == "1"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "swept-memory://")
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") == "1"
    # Failed sign-ins (never successful ones): per account and address (or recognised browser), per account
    # from anywhere, and per address whatever the account; see security.SignInThrottle and the README.
    SIGN_IN_RATE_LIMIT = os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute; 100 per day")
    SIGN_IN_ACCOUNT_RATE_LIMIT = os.environ.get("SIGN_IN_ACCOUNT_RATE_LIMIT", "50 per hour; 200 per day")
    SIGN_IN_ADDRESS_RATE_LIMIT = os.environ.get("SIGN_IN_ADDRESS_RATE_LIMIT", "30 per 10 minutes; 300 per day")
    # Accounts asked for (every posted registration form) per address: several classes of a school.
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "100 per hour")
    # Tries at changing one's password (each needs the current one), per person.
    PASSWORD_CHANGE_RATE_LIMIT = os.environ.get("PASSWORD_CHANGE_RATE_LIMIT", "10 per hour")
    ANSWER_RATE_LIMIT = os.environ.get("ANSWER_RATE_LIMIT", "120 per minute")
    # Wrong game PINs per address: six digits are few, so guessing them is slowed.
    PIN_RATE_LIMIT = os.environ.get("PIN_RATE_LIMIT", "20 per minute; 200 per hour")
    # The largest request body: 1 MB, and 4 MB for the routes that take a file (security.UPLOAD_ENDPOINTS).
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    UPLOAD_MAX_CONTENT_LENGTH = int(os.environ.get("UPLOAD_MAX_CONTENT_LENGTH", str(4 * 1024 * 1024)))
    # SQLite: how long a writer waits for another to finish before giving up.
    SQLITE_BUSY_TIMEOUT_MS = 15000


def database_url(instance_path: str) -> str:
    """The database to use: ``DATABASE_URL`` or a SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "quizapp.sqlite")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance_path: str) -> str:
    """``SECRET_KEY`` from the environment, else one generated once into the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
