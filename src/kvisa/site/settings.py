"""Django settings for the kvisa service.

Everything deployment-specific comes from the environment:
``DATABASE_URL`` (default: an SQLite file under ``KVISA_DATA_DIR``),
``KVISA_SECRET_KEY``, ``KVISA_DEBUG``, ``KVISA_ALLOWED_HOSTS``, ``KVISA_EMAIL_URL``-style
SMTP settings (``KVISA_SMTP_HOST`` …), ``KVISA_SIGNER_KEY`` / ``KVISA_SIGNER_CERT``
(the visa signer; generated under the data directory for a demo).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from kvisa import logs, paths

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = paths.data_dir()  # created by the commands that write (paths.prepare), never here

# A reading command on a machine with no data folder gets a throwaway key: it signs
# nothing that outlives the process.  Writers run paths.prepare() first.
SECRET_KEY = paths.read_secret_key() or secrets.token_urlsafe(50)
DEBUG = os.environ.get("KVISA_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("KVISA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KVISA_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' Swagger UI from the site's own static files (no CDN)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",  # the policy lab's background jobs, run by `kvisa worker`
    "kvisa.accounts",
    "kvisa.audit",
    "kvisa.casework",
    "kvisa.issuance",
    "kvisa.web",
]

MIDDLEWARE = [
    "kvisa.web.operations.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kvisa.web.reader.ReaderRegionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kvisa.accounts.session_guard.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kvisa.accounts.middleware.RequestIdMiddleware",
    "kvisa.web.outages.StoreOutageMiddleware",
    "kvisa.accounts.session_guard.MethodAndTransportMiddleware",
    "kvisa.accounts.middleware.RejectNulMiddleware",
    "kvisa.accounts.middleware.ContentSecurityPolicyMiddleware",
    "kvisa.accounts.middleware.PrivateResponsesMiddleware",
    "kvisa.accounts.middleware.StaffSecondFactorMiddleware",
    "kvisa.casework.wage_tables.SyncWageTableMiddleware",
    "axes.middleware.AxesMiddleware",
]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

ROOT_URLCONF = "kvisa.site.urls"
WSGI_APPLICATION = "kvisa.site.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [PACKAGE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

DATABASES = {"default": dj_database_url.parse(
    os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'kvisa.sqlite3'}"),
    conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers on the embedded default: take the write lock when a
    # transaction starts (IMMEDIATE), so two transactions never both read and
    # then deadlock upgrading (select_for_update does nothing on SQLite); WAL
    # lets readers go on while one writes; wait up to 20 s for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "django.contrib.auth.backends.ModelBackend"]

# NIST SP 800-63B-4: Argon2 hashing, length rules, a blocklist, no composition rules.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                    "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kvisa.accounts.passwords.NistLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kvisa.accounts.passwords.GuessabilityValidator"},
    {"NAME": "kvisa.accounts.passwords.KnownPhraseValidator"},
]

# Throttling: lock a (username, IP) pair, not the account, and only briefly, so an
# attacker elsewhere cannot lock a real user out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form posts the e-mail as "username"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# idle and absolute limits (kvisa.accounts.session_guard); the cookie lasts as long
SESSION_IDLE_SECONDS = int(os.environ.get("KVISA_SESSION_IDLE_MINUTES", "60")) * 60
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("KVISA_SESSION_HOURS", "12")) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
_secure = os.environ.get("KVISA_SECURE_COOKIES", "1" if not DEBUG else "0") == "1"
SESSION_COOKIE_SECURE = _secure and os.environ.get("KVISA_HTTP_DEMO") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:  # __Host-: only over TLS, only this host, path / (ASVS V3.3.3)
    SESSION_COOKIE_NAME = "__Host-kvisa-session"
    CSRF_COOKIE_NAME = "__Host-kvisa-csrf"
if SESSION_COOKIE_SECURE:  # served over TLS: send plain HTTP there and tell browsers to stay
    SECURE_SSL_REDIRECT = os.environ.get("KVISA_SSL_REDIRECT", "1") == "1"
    # the API is refused over HTTP instead (session_guard); a balancer's probes and a
    # scraper on the operator's network speak plain HTTP to the node
    SECURE_REDIRECT_EXEMPT = [r"^api/", r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("KVISA_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("KVISA_HSTS_PRELOAD", "1") == "1"
if os.environ.get("KVISA_TLS_PROXY") == "1":  # a TLS-terminating proxy sets this header
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # paths.prepare() makes it; WhiteNoise wants it to exist
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

# Files go through Django's storage API, in two stores: "documents" (uploads, issued
# e-visas and card faces, named by their sha256, so a file uploaded on two nodes is
# stored once) and "records" (signed audit checkpoints, one object each, and the
# policy lab's populations and outputs).  The embedded default is the local disk,
# outside any web root; KVISA_S3_BUCKET puts both in an S3-compatible store (AWS S3,
# Ceph RGW, MinIO …) through django-storages, which every node of a cluster shares.
DOCUMENT_ROOT = Path(os.environ.get("KVISA_DOCUMENT_ROOT", DATA_DIR / "documents"))
RECORDS_ROOT = Path(os.environ.get("KVISA_RECORDS_ROOT", DATA_DIR / "records"))
S3_BUCKET = os.environ.get("KVISA_S3_BUCKET", "")


def _store(name: str, local: Path) -> dict[str, object]:
    if not S3_BUCKET:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(local), "file_permissions_mode": 0o600,
                            "directory_permissions_mode": 0o700}}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3_BUCKET, "location": name,
        "endpoint_url": os.environ.get("KVISA_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("KVISA_S3_REGION") or None,
        # never overwrite: a content-addressed name or a checkpoint is written once
        "file_overwrite": False, "default_acl": None, "querystring_auth": False,
        # a download larger than this spools to disk, never all into memory
        "max_memory_size": 1024 * 1024}}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": _store("documents", DOCUMENT_ROOT),
    "records": _store("records", RECORDS_ROOT),
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# the office's own service target for a decision (not a legal time limit): the
# dashboard counts open cases waiting longer than this
PROCESSING_TARGET_DAYS = int(os.environ.get("KVISA_TARGET_DAYS", "30"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# What one address may ask of the public endpoints (kvisa.accounts.public_budget):
# (requests, per seconds), shared by every worker and node through the database.
KVISA_PUBLIC_BUDGETS = {
    "compute": (int(os.environ.get("KVISA_PUBLIC_COMPUTE_PER_MINUTE", "60")), 60),
    "verify": (int(os.environ.get("KVISA_PUBLIC_VERIFY_PER_MINUTE", "30")), 60),
}
# A public request still running after this many seconds stops itself.
KVISA_PUBLIC_DEADLINE = float(os.environ.get("KVISA_PUBLIC_DEADLINE", "5"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Django's own ceiling on files in one request (the upload view allows 5 and says so;
# a request beyond this is refused before any file is read).
DATA_UPLOAD_MAX_NUMBER_FILES = 10

SIGNER_KEY = os.environ.get("KVISA_SIGNER_KEY", str(DATA_DIR / "keys" / "visa-signer.key.pem"))
SIGNER_CERT = os.environ.get("KVISA_SIGNER_CERT",
                             str(DATA_DIR / "keys" / "visa-signer.cert.pem"))

# The province-level code of the office that issues permanent-resident cards (the 2nd-3rd
# characters of the card number); "11" is Beijing.  A deployment per office sets its own.
OFFICE_PROVINCE_CODE = os.environ.get("KVISA_OFFICE_PROVINCE", "11")
# Where applicants write with questions (the confirmation page and e-mails say it).
CONTACT_EMAIL = os.environ.get("KVISA_CONTACT_EMAIL", "help@kvisa.example")
# Who the e-visa and the card name as their issuer, and where they say to verify them.
# kvisa is no authority: a deployment names its own; the defaults say "demonstration".
ISSUING_AUTHORITY = os.environ.get("KVISA_ISSUING_AUTHORITY", "kvisa demonstration issuer")
ISSUING_AUTHORITY_ZH = os.environ.get("KVISA_ISSUING_AUTHORITY_ZH", "kvisa 演示签发机关")
# Where the office issues documents ("Place and date of issue" on the e-visa); the
# default matches the default office province code (11, Beijing).
PLACE_OF_ISSUE = os.environ.get("KVISA_PLACE_OF_ISSUE", "BEIJING")
# The programme an application (and "Apply" without a choice) is for; it must be one
# registered in kvisa.casework.service_programmes.
DEFAULT_PROGRAMME = os.environ.get("KVISA_DEFAULT_PROGRAMME", "cn.k_visa")
SITE_URL = os.environ.get("KVISA_SITE_URL", "http://127.0.0.1:8000")  # links in e-mails
VERIFY_URL = os.environ.get("KVISA_VERIFY_URL", f"{SITE_URL.rstrip('/')}/verify")

# The audit log (kvisa.audit.log): the chain's keys, the checkpoint signer (a
# different key), and the signed checkpoints of its head.  The pinned public keys and
# the witness live OUTSIDE the data folder (by default beside it), so that a copy of
# the data folder restored over it, or a key dropped into it, is caught by verify; in
# production the trust folder is mounted read-only and the witness runs on another
# host (KVISA_AUDIT_WITNESS=https://…, `kvisa witness serve`).
AUDIT_KEY_DIR = os.environ.get("KVISA_AUDIT_KEYS", str(DATA_DIR / "keys" / "audit"))
AUDIT_SIGNER_KEY = os.environ.get("KVISA_AUDIT_SIGNER_KEY",
                                  str(DATA_DIR / "keys" / "audit-checkpoint-signer.pem"))
# "store": one object per checkpoint in the records store, which every node reads (the
# default with an S3 store); otherwise a local append-only file.
AUDIT_CHECKPOINTS = os.environ.get("KVISA_AUDIT_CHECKPOINTS", "store" if S3_BUCKET else
                                   str(DATA_DIR / "audit" / "checkpoints.jsonl"))
AUDIT_TRUST = os.environ.get("KVISA_AUDIT_TRUST", f"{DATA_DIR}.trust")
AUDIT_WITNESS = os.environ.get("KVISA_AUDIT_WITNESS", f"{DATA_DIR}.witness")
AUDIT_CHECKPOINT_SECONDS = int(os.environ.get("KVISA_AUDIT_CHECKPOINT_SECONDS", "60"))
AUDIT_CHECKPOINT_EVENTS = int(os.environ.get("KVISA_AUDIT_CHECKPOINT_EVENTS", "1000"))
# an event still unchained this long after it was written is reported by verify
AUDIT_CHAIN_GRACE_SECONDS = 60
# The journal whose every entry must have its audit event (kvisa audit verify finds
# an entry without one: events were deleted); the audit app knows no case itself.
AUDIT_JOURNAL_MODEL = "casework.Action"

if os.environ.get("KVISA_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["KVISA_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("KVISA_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("KVISA_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KVISA_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("KVISA_SMTP_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("KVISA_FROM_EMAIL", "kvisa <no-reply@kvisa.example>")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
OTP_TOTP_ISSUER = "kvisa"
# django-otp's throttle delays from the first wrong code; kvisa's own (web.account_views.
# second_factor_wait) lets three pass first, then doubles the delay.
OTP_TOTP_THROTTLE_FACTOR = 0

# JSON lines with the request id (kvisa.logs); KVISA_LOG_FORMAT=text for a person reading
LOGGING = logs.config(os.environ.get("KVISA_LOG_LEVEL", "WARNING"),
                      as_json=os.environ.get("KVISA_LOG_FORMAT", "json") == "json")
