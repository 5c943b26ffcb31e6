"""Fazhi settings: every knob is an environment variable, read once here.

Defaults make a fresh clone run on SQLite with nothing else installed. `FAZHI_ENV=production` turns on the
hardened defaults (HTTPS-only cookies, HSTS, no default secret key). The reference of every variable is in
docs/reference/settings.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


# --- typed helpers: a bad value stops the start-up with a message naming the variable ---------------------


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


FAZHI_ENV = env_str("FAZHI_ENV", "development")
if FAZHI_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"FAZHI_ENV={FAZHI_ENV!r} must be 'development' or 'production'.")
PRODUCTION = FAZHI_ENV == "production"

DATA_DIR = Path(env_str("FAZHI_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

if PRODUCTION:
    SECRET_KEY = env_str("FAZHI_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("FAZHI_SECRET_KEY must be at least 50 characters in production.")
else:
    SECRET_KEY = env_str("FAZHI_SECRET_KEY", "development-only-insecure-key-" + "x" * 40)

DEBUG = env_bool("FAZHI_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "FAZHI_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("FAZHI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks_db",
    "fazhi.audit",
    "fazhi.orgs",
    "fazhi.plans",
    "fazhi.supervision",
    "fazhi.notifications",
    "fazhi.reports",
    "fazhi.enforcement",
    "fazhi.portal",
    "fazhi.ops",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fazhi.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fazhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.orgs.context_processors.roles",
                "fazhi.enforcement.context_processors.enforcement",
                "fazhi.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'fazhi.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("FAZHI_DB_CONN_MAX_AGE", 60))
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing half-way; the
        # audit chain relies on writers being serialised (see fazhi/audit/chain.py).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must point to SQLite (sqlite:///path) or PostgreSQL (postgres://…)."
    )
# Each web request is one transaction: a failure anywhere leaves nothing half-written, and the audit entry
# commits or rolls back with the change it describes.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts ---------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "portal:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("FAZHI_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fazhi.orgs.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Sessions end after this much inactivity: each request pushes the expiry forward.
SESSION_COOKIE_AGE = env_int("FAZHI_SESSION_IDLE_MINUTES", 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Failed-login throttling (django-axes): a username is locked from one address after this many failures.
AXES_FAILURE_LIMIT = env_int("FAZHI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FAZHI_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fazhi.orgs.views.locked_out"
AXES_VERBOSE = False
# Behind N reverse proxies the client is the N-th address from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("FAZHI_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "fazhi.audit.middleware.client_ip"

# --- language and time ------------------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "fazhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files ------------------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Our own CSS and JS, and the front-end libraries from npm (`npm run build` copies them into build/static).
STATICFILES_DIRS = [BASE_DIR / "fazhi" / "static", BASE_DIR / "build" / "static"]
MEDIA_ROOT = Path(env_str("FAZHI_MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
MEDIA_URL = "/media/"

STORAGE_BACKEND = env_str("FAZHI_STORAGE", "local")
if STORAGE_BACKEND == "local":
    _default_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    # S3-compatible object storage (MinIO, Ceph, a cloud bucket) via django-storages: `pip install fazhi[s3]`.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("FAZHI_S3_BUCKET"),
            "endpoint_url": env_str("FAZHI_S3_ENDPOINT_URL"),
            "access_key": env_str("FAZHI_S3_ACCESS_KEY"),
            "secret_key": env_str("FAZHI_S3_SECRET_KEY"),
            "region_name": env_str("FAZHI_S3_REGION", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured(f"FAZHI_STORAGE={STORAGE_BACKEND!r} must be 'local' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files are read by our own code; anything larger is refused before it is parsed.
FAZHI_UPLOAD_MAX_BYTES = env_int("FAZHI_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
# Files of enforcement cases uploaded on the case import page (a county's year is tens of MB of CSV; the
# command `fazhi import-cases` takes bigger files from disk).
FAZHI_CASE_IMPORT_MAX_BYTES = env_int("FAZHI_CASE_IMPORT_MAX_MB", 500, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- background work ----------------------------------------------------------------------------------------

# Django's tasks framework with the database as the queue (django-tasks-db): jobs enqueued inside a request
# commit with it, and `fazhi worker` (several may run, on several servers) takes them with row locks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- e-mail -----------------------------------------------------------------------------------------------

_email_host = env_str("FAZHI_EMAIL_HOST", "")
if _email_host:
    _smtp_options: dict[str, object] = {
        "host": _email_host,
        "use_tls": env_bool("FAZHI_EMAIL_USE_TLS", False),
        "use_ssl": env_bool("FAZHI_EMAIL_USE_SSL", False),
        "timeout": env_int("FAZHI_EMAIL_TIMEOUT", 20, minimum=1),
    }
    if os.environ.get("FAZHI_EMAIL_PORT"):
        _smtp_options["port"] = env_int("FAZHI_EMAIL_PORT", 25, minimum=1)
    if os.environ.get("FAZHI_EMAIL_USER"):
        _smtp_options["username"] = env_str("FAZHI_EMAIL_USER")
        _smtp_options["password"] = env_str("FAZHI_EMAIL_PASSWORD", "")
    MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp_options}
    }
elif PRODUCTION:
    # No SMTP server (common on a government intranet): notifications reach people through the in-app inbox
    # (and SMS where configured) only, and the code that sends e-mail skips it; so Django's warning about a
    # missing default mailer is expected here, not a mistake.
    MAILERS = {}
    SILENCED_SYSTEM_CHECKS = ["mail.W001"]
else:
    # Development without SMTP: messages are written to the console instead of being lost silently.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("FAZHI_EMAIL_FROM", "fazhi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The address people open Fazhi at ("https://fazhi.example.gov.cn"): links in e-mails become full addresses.
FAZHI_SITE_URL = env_str("FAZHI_SITE_URL", "")

# --- SMS --------------------------------------------------------------------------------------------------

# The dotted path of a fazhi.notifications.sms.SmsBackend subclass (the deployment's gateway); empty: no SMS.
# "fazhi.notifications.sms.LoggingSmsBackend" writes messages to the log, for trials.
FAZHI_SMS_BACKEND = env_str("FAZHI_SMS_BACKEND", "")

# --- security ---------------------------------------------------------------------------------------------

# One policy everywhere (development too): a page that would break under it breaks on a developer's machine.
# All scripts and styles are served from our own origin; pages pass data to scripts through json_script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("FAZHI_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("FAZHI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FAZHI_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("FAZHI_HSTS_PRELOAD", True)
    if env_bool("FAZHI_BEHIND_HTTPS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- logging ----------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("FAZHI_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django_tasks_db": {"level": "WARNING"}},
}

# Annual reports: LibreOffice's `soffice` turns the .docx into PDF where it is installed (a name on PATH or a
# full path); reminders to publish the year's report go to the office this many days before 1 April.
FAZHI_LIBREOFFICE = env_str("FAZHI_LIBREOFFICE", "soffice")
_reminder_days = env_list("FAZHI_REPORT_REMINDER_DAYS", ["30", "14", "3"])
if not all(day.isdigit() and 0 < int(day) < 366 for day in _reminder_days):
    raise ImproperlyConfigured(
        f"FAZHI_REPORT_REMINDER_DAYS={','.join(_reminder_days)} must be days (1–365) separated by commas."
    )
FAZHI_REPORT_REMINDER_DAYS = sorted({int(day) for day in _reminder_days}, reverse=True)

# Enforcement cases: the investigating officers are reminded this many days before each statutory time limit
# of an open case runs out (counted as the period is: working days for the 5- and 7-day periods, calendar
# days for the 15- and 90-day ones), once per threshold; a threshold as long as the period itself is skipped.
_case_reminder_days = env_list("FAZHI_CASE_REMINDER_DAYS", ["10", "3"])
if not all(day.isdigit() and 0 < int(day) < 366 for day in _case_reminder_days):
    raise ImproperlyConfigured(
        f"FAZHI_CASE_REMINDER_DAYS={','.join(_case_reminder_days)} must be days (1–365) separated by commas."
    )
FAZHI_CASE_REMINDER_DAYS = sorted({int(day) for day in _case_reminder_days}, reverse=True)

# Transfers of cases to the police (两法衔接): the office's list shows those without a reply after this many
# days (no statutory period applies).
FAZHI_TRANSFER_REPLY_DAYS = env_int("FAZHI_TRANSFER_REPLY_DAYS", 30, minimum=1)
# The public decision search gives up a query after this long (PostgreSQL only; 0: no limit) and asks for a
# narrower search, so that no visitor's search holds a database connection for seconds.
FAZHI_PORTAL_SEARCH_TIMEOUT_MS = env_int("FAZHI_PORTAL_SEARCH_TIMEOUT_MS", 1500, minimum=0)
