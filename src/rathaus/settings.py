"""The one settings module. Every value that differs between machines comes from the
environment; see the configuration table in README.md."""

import base64
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_CHECKOUT = PACKAGE_DIR.parent.parent
# In a source checkout data lives beside the code; an installed package keeps it in the
# working directory unless RATHAUS_VAR_DIR says otherwise.
BASE_DIR = Path(os.environ.get(
    "RATHAUS_BASE_DIR",
    _SOURCE_CHECKOUT if (_SOURCE_CHECKOUT / "pyproject.toml").exists() else Path.cwd(),
))
VAR_DIR = Path(os.environ.get("RATHAUS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


MODE = os.environ.get("RATHAUS_MODE", "development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured("RATHAUS_MODE must be 'development' or 'production'.")
PRODUCTION = MODE == "production"

# Error pages never show a stack trace, so DEBUG stays off unless asked for explicitly.
DEBUG = env_bool("RATHAUS_DEBUG") and not PRODUCTION


def _key(variable: str, file_name: str, generate) -> str:
    """A secret from the environment; required in production, and in development
    generated once into var/ and kept, so sessions and encrypted data survive restarts."""
    key = os.environ.get(variable)
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(f"{variable} must be set in production mode.")
    key_file = VAR_DIR / file_name
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(generate())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _key("SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
# Wraps the per-authority data keys of the mailbox (base64 of 32 bytes).
RATHAUS_MASTER_KEY = _key(
    "RATHAUS_MASTER_KEY", "master_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
)
# Former secret keys, comma-separated, while SECRET_KEY is replaced: sessions, password
# reset links and other values Django signed with one of them stay valid until they
# expire (docs/operations.md, "Key rotation").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],.localhost,testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rathaus.rate_limits",
    "rathaus.outbound_email",
    "rathaus.authorities",
    "rathaus.accounts",
    "rathaus.identity",
    "rathaus.audit",
    "rathaus.catalog",
    "rathaus.finder",
    "rathaus.forms",
    "rathaus.cases",
    "rathaus.confirmations",
    "rathaus.satisfaction",
    "rathaus.subject_access",
    "rathaus.records",
    "rathaus.mailbox",
    "rathaus.handover",
    "rathaus.intake",
    "rathaus.archive",
    "rathaus.notices",
    "rathaus.payments",
    "rathaus.publication",
    "rathaus.dogs",
    "rathaus.residents",
    "rathaus.vehicles",
    "rathaus.assets",
    "rathaus.trees",
    "rathaus.playgrounds",
    "rathaus.cemeteries",
    "rathaus.worktime",
    "rathaus.council",
    "rathaus.opendata",
    "rathaus.portal",
    "rathaus.office",
    "rathaus.fieldapp",
    "rathaus.demo",
    "rathaus.background",
    "rathaus.operations",
]

MIDDLEWARE = [
    "rathaus.operations.request_ids.RequestIdMiddleware",
    "rathaus.operations.metrics.MetricsMiddleware",
    # /healthz, /readyz and /metrics: asked by address, before the host checks below.
    "rathaus.operations.probes.EarlyAnswerMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "rathaus.request_limits.RequestSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rathaus.private_responses.PrivateResponseMiddleware",
    "rathaus.authorities.middleware.AuthorityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rathaus.urls"
WSGI_APPLICATION = "rathaus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rathaus.authorities.context_processors.authority",
                "rathaus.identity.context_processors.id_card_login",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'rathaus.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request uses it: after a database
        # restart or failover the first request gets a new one instead of an error.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_PREPARED_STATEMENTS", default=True):
    # The server binds the parameters, and a statement a connection has run 5 times is
    # prepared: PostgreSQL then skips parsing and planning it, which is about a third
    # of its work per request here. Off behind a pooler that cannot keep prepared
    # statements (PgBouncer in transaction mode before 1.21).
    # Added to the options of the URL (?sslmode=verify-full …), which stay.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file too, so that threads share it as in production; one per test
    # process, so that two test runs never share one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"rathaus-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work --------------------------------------------------------------------
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASK_BACKEND = os.environ.get("TASK_BACKEND", "database")
if TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND], "QUEUES": ["default"]}}
# A task still marked running after this long belonged to a worker that died; it is
# queued again (every task is idempotent). Far above the longest task.
RATHAUS_TASK_LEASE_SECONDS = float(os.environ.get("RATHAUS_TASK_LEASE_SECONDS", "600"))
# How often the worker signs the audit log's tree heads (docs/decisions/0018): the most
# an administrator's rewrite could hide before a head that outsiders can keep covers it.
RATHAUS_AUDIT_HEAD_SECONDS = float(os.environ.get("RATHAUS_AUDIT_HEAD_SECONDS", "300"))
# Unsent drafts (and their uploads) are deleted after this many days without a change.
RATHAUS_DRAFT_DAYS = int(os.environ.get("RATHAUS_DRAFT_DAYS", "30"))

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3
# A firm access invitation (accounts.firm_access): one week to set password and TOTP.
FIRM_INVITATION_MAX_AGE = 60 * 60 * 24 * 7
OTP_TOTP_ISSUER = os.environ.get("RATHAUS_TOTP_ISSUER", "Rathaus")

# Lock-out after repeated failed logins (django-axes): per account name, and separately per
# client address against guessing across many accounts. Behind a reverse proxy, set
# RATHAUS_PROXY_COUNT so the client address is read from X-Forwarded-For.
AXES_FAILURE_LIMIT = int(os.environ.get("RATHAUS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("RATHAUS_LOGIN_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
RATHAUS_PROXY_COUNT = int(os.environ.get("RATHAUS_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "rathaus.rate_limits.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "rathaus.accounts.lockout.lockout_response"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Rate limits (issue 11, rathaus.rate_limits, ADR 0020): how many requests of a kind a
# client address ("client") and an account or e-mail address named in the request
# ("account") may make per period. Coarser than the lock-out above and separate from it:
# every attempt counts, successful ones too. A rate is "<count>/<period>" with the period
# s, m, h or d, optionally with a number ("100/10m"), or "off"; each can be set by the
# variable RATHAUS_RATE_LIMIT_<NAME>_<SCOPE>, e.g. RATHAUS_RATE_LIMIT_LOGIN_CLIENT=20/m.
# RATHAUS_RATE_LIMITS_ENABLED=false lifts them all (benchmarks sending hundreds of
# requests from one address).
RATHAUS_RATE_LIMITS_ENABLED = env_bool("RATHAUS_RATE_LIMITS_ENABLED", default=True)
_RATE_LIMIT_DEFAULTS = {
    "login": {"client": "10/m", "account": "5/m"},  # citizen and staff, TOTP step included
    "registration": {"client": "5/h", "account": "3/h"},  # also sends confirmation links
    "password_reset": {"client": "5/h", "account": "3/h"},
    "email_link": {"client": "20/h", "account": "10/h"},  # confirmation and reset links
    "lookup": {"client": "60/m"},  # what anonymous visitors search or look up
    "api": {"client": "600/m"},  # CKAN, OGC API, DCAT-AP.de documents, downloads
    "saml": {"client": "30/m"},  # logins with the online ID card: each signs or verifies
    # A party's one-time link (a landlord's, without an account): every request counts,
    # so that tokens cannot be guessed; a real party opens the page and answers once.
    "confirmation": {"client": "20/m"},
    "confirmation_issue": {"client": "10/h"},  # confirming first: each issues a code
    # Hand-overs from other instances: each is stored and queued for decryption.
    "handover": {"client": "120/m"},
    # Wrong security codes of a vehicle's registration certificates, per citizen: the
    # codes are short, so guesses are counted (vehicles/application_checks.py).
    "security_code": {"account": "5/h"},
    # Citizens' damage reports (Schaden melden), without an account: each makes a work
    # order; a walk through a park may find several, a flood of them is refused.
    "damage_report": {"client": "20/h"},
}
RATHAUS_RATE_LIMITS = {
    name: {scope: os.environ.get(f"RATHAUS_RATE_LIMIT_{name.upper()}_{scope.upper()}", rate)
           for scope, rate in scopes.items()}
    for name, scopes in _RATE_LIMIT_DEFAULTS.items()
}

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Mail -------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rathaus <noreply@rathaus.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
if PRODUCTION and not EMAIL_HOST:
    raise ImproperlyConfigured("EMAIL_HOST must be set in production mode.")

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("RATHAUS_TIME_ZONE", "Europe/Berlin")
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("RATHAUS_STATIC_ROOT", VAR_DIR / "static"))
# The shared assets (KERN UX, htmx, site.css) live in the package, not in an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("RATHAUS_STORAGE_DIR", VAR_DIR / "storage"))
MEDIA_URL = "/media-not-served/"  # documents are only ever served through access-checked views
# Documents, attachments and uploads: the local filesystem below MEDIA_ROOT, or an
# S3-compatible object store through django-storages (docs/operations.md, ADR 0036).
RATHAUS_STORAGE_BACKEND = os.environ.get("RATHAUS_STORAGE_BACKEND", "filesystem")
if RATHAUS_STORAGE_BACKEND == "filesystem":
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif RATHAUS_STORAGE_BACKEND == "s3":
    if not os.environ.get("RATHAUS_S3_BUCKET"):
        raise ImproperlyConfigured("RATHAUS_S3_BUCKET must be set for the s3 storage.")
    _DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["RATHAUS_S3_BUCKET"],
        # Empty: AWS itself; otherwise the store's address (MinIO, Ceph, a provider).
        "endpoint_url": os.environ.get("RATHAUS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("RATHAUS_S3_REGION") or None,
        # Empty: boto3's own search (environment, instance role).
        "access_key": os.environ.get("RATHAUS_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("RATHAUS_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": os.environ.get("RATHAUS_S3_ADDRESSING_STYLE") or None,
        # Objects are private; reading one is always Rathaus's own, access-checked view.
        "default_acl": None,
        "querystring_auth": True,
        # A blob's name is its hash: the same name is the same bytes.
        "file_overwrite": True,
        # An object read is spooled: in memory up to this size, then a temporary file
        # (django-storages' default 0 would keep every object whole in memory).
        "max_memory_size": 4 * 1024 * 1024,
    }}
else:
    raise ImproperlyConfigured("RATHAUS_STORAGE_BACKEND must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files go straight to temporary files on disk, never into a worker's memory
# (issue 11). A page takes at most RATHAUS_UPLOAD_MAX_FILES files and
# RATHAUS_UPLOAD_MAX_TOTAL_MB in one request (the citizen's answer says so in the form);
# rathaus.request_limits answers a larger request with the 413 page before anything is
# read, and Django refuses more than twice as many files with the 400 page. The open
# data upload is large by design: RATHAUS_OPENDATA_MAX_UPLOAD_MB applies to it instead.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
RATHAUS_UPLOAD_MAX_FILES = int(os.environ.get("RATHAUS_UPLOAD_MAX_FILES", "10"))
RATHAUS_UPLOAD_MAX_TOTAL_BYTES = int(
    os.environ.get("RATHAUS_UPLOAD_MAX_TOTAL_MB", "50")) * 1024 * 1024
# A hand-over from another instance (JSON with its JWE parts, docs/architecture.md).
RATHAUS_HANDOVER_MAX_BYTES = int(os.environ.get("RATHAUS_HANDOVER_MAX_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * RATHAUS_UPLOAD_MAX_FILES

# --- Security ---------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "rathaus.portal.errors.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("RATHAUS_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("RATHAUS_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("RATHAUS_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix makes browsers refuse the cookies unless they are Secure, for
    # Path=/ and without Domain: no subdomain can set or overwrite them. Plain HTTP in
    # development cannot carry such cookies, so the names stay Django's there.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
    LANGUAGE_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Maps (ADR 0038) --------------------------------------------------------------------
# The map tiles behind every map ({z}/{x}/{y}, {s} for a subdomain); empty: no tiles, the
# maps draw only the assets. Their host is allowed as an image source below.
RATHAUS_MAP_TILE_URL = os.environ.get(
    "RATHAUS_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
RATHAUS_MAP_ATTRIBUTION = os.environ.get(
    "RATHAUS_MAP_ATTRIBUTION",
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende')


def _tile_source(url: str) -> list[str]:
    """The CSP source of the tile server: scheme and host ({s} as a wildcard)."""
    if "://" not in url:
        return []
    scheme, rest = url.split("://", 1)
    return [f"{scheme}://{rest.split('/', 1)[0].replace('{s}', '*')}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_source(RATHAUS_MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Rathaus ----------------------------------------------------------------------------
# How links in e-mails and messages reach the portal; {host} is the authority's host name.
RATHAUS_PUBLIC_URL = os.environ.get(
    "RATHAUS_PUBLIC_URL", "https://{host}" if PRODUCTION else "http://{host}:8000"
)
# The resident register (issue 14): the department that keeps it, and where it goes
# besides Rathaus's own tables: "rathaus" (nowhere else) or "json-files" (one file per
# change into RATHAUS_RESIDENTS_EXPORT_DIR, for a specialist system; docs/residents.md).
RATHAUS_RESIDENTS_OFFICE = os.environ.get("RATHAUS_RESIDENTS_OFFICE", "buergerbuero")
RATHAUS_RESIDENTS_ADAPTER = os.environ.get("RATHAUS_RESIDENTS_ADAPTER", "rathaus")
# The vehicle register the district's registrations ask (vehicles/vehicle_register.py).
RATHAUS_VEHICLE_REGISTER = os.environ.get("RATHAUS_VEHICLE_REGISTER", "rathaus")
RATHAUS_RESIDENTS_EXPORT_DIR = Path(
    os.environ.get("RATHAUS_RESIDENTS_EXPORT_DIR", VAR_DIR / "melderegister"))
RATHAUS_SERVICES_DIR = Path(os.environ.get("RATHAUS_SERVICES_DIR", BASE_DIR / "services"))
# Incoming mail (Posteingang, docs/architecture.md): the largest scan or e-mail staff
# upload; the folder the scanners write into (one subfolder per authority slug), read
# by the worker every hour and by `rathaus read_scan_folder`; how long and on how many
# cores OCRmyPDF may work on one item.
RATHAUS_INTAKE_MAX_FILE_BYTES = int(
    os.environ.get("RATHAUS_INTAKE_MAX_FILE_MB", "20")) * 1024 * 1024
RATHAUS_SCAN_INBOX_DIR = Path(os.environ.get("RATHAUS_SCAN_INBOX_DIR", VAR_DIR / "scans"))
RATHAUS_OCR_TIMEOUT_SECONDS = int(os.environ.get("RATHAUS_OCR_TIMEOUT_SECONDS", "300"))
RATHAUS_OCR_JOBS = int(os.environ.get("RATHAUS_OCR_JOBS", "1"))
# Open data: the immutable row stores of dataset versions, and the largest upload.
RATHAUS_OPENDATA_DIR = Path(os.environ.get("RATHAUS_OPENDATA_DIR", VAR_DIR / "opendata"))
RATHAUS_OPENDATA_MAX_UPLOAD_BYTES = int(
    os.environ.get("RATHAUS_OPENDATA_MAX_UPLOAD_MB", "200")) * 1024 * 1024
# /.well-known/security.txt (RFC 9116): where to report a vulnerability when an authority
# names no security contact of its own (an e-mail address or an https:// URL), and the
# instance's disclosure policy, if it has one.
RATHAUS_SECURITY_CONTACT = os.environ.get("RATHAUS_SECURITY_CONTACT", "")
RATHAUS_SECURITY_POLICY = os.environ.get("RATHAUS_SECURITY_POLICY", "")

# SAML login (BundID, online ID card; docs/decisions/0028): the identity provider's
# metadata file, the directory of the service provider's generated key and certificate,
# and Debian's xmlsec1 that signs and verifies. The test identity provider (fictional
# persons) is on outside production unless switched off, and refused in production.
RATHAUS_SAML_IDP_METADATA = os.environ.get("RATHAUS_SAML_IDP_METADATA", "")
RATHAUS_SAML_DIR = Path(os.environ.get("RATHAUS_SAML_DIR", VAR_DIR / "saml"))
RATHAUS_XMLSEC_BINARY = os.environ.get("RATHAUS_XMLSEC_BINARY", "/usr/bin/xmlsec1")
RATHAUS_SAML_TEST_IDP = env_bool("RATHAUS_SAML_TEST_IDP", not PRODUCTION)
if PRODUCTION and RATHAUS_SAML_TEST_IDP:
    raise ImproperlyConfigured("RATHAUS_SAML_TEST_IDP is for the demo and tests; it cannot "
                               "be switched on in production mode.")

# /readyz and /metrics (docs/operations.md, "Health, metrics and logs"): a worker counts
# as running while its heartbeat (every minute at most) is younger than this; /metrics
# answers only these addresses or networks (behind a proxy: the client it saw).
RATHAUS_WORKER_SEEN_SECONDS = float(os.environ.get("RATHAUS_WORKER_SEEN_SECONDS", "180"))
RATHAUS_METRICS_ALLOWED = env_list("RATHAUS_METRICS_ALLOWED", "127.0.0.1,::1")

# Logs go to stderr: one JSON object per line in production (for a log collector), or
# plain lines; each with the request id of the request or task it was written for.
RATHAUS_LOG_FORMAT = os.environ.get("RATHAUS_LOG_FORMAT", "json" if PRODUCTION else "plain")
if RATHAUS_LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("RATHAUS_LOG_FORMAT must be 'json' or 'plain'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "rathaus.operations.request_ids.RequestIdFilter"},
        "quiet_below_info": {"()": "rathaus.operations.log_privacy.QuietBelowInfo"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "rathaus.operations.log_format.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": RATHAUS_LOG_FORMAT,
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("RATHAUS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # Its start and end lines say less than rathaus.tasks' (operations.task_requests);
        # a failed task's traceback is a warning or worse and stays.
        "django_tasks": {"level": "WARNING"},
        # Their debug lines print personal data (whole page contexts, SQL parameters).
        "django.template": {"filters": ["quiet_below_info"]},
        "django.db.backends": {"filters": ["quiet_below_info"]},
    },
}
