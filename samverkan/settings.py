"""Settings for Samverkansportalen.

One module; every knob is an environment variable with a safe development default.
With nothing set the portal runs on SQLite, runs tasks in-process and prints e-mail
to the console. With ``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL`` it runs on
PostgreSQL, Celery workers + beat on Redis, and SMTP. ``DEBUG=false`` turns on the
production hardening that ``manage.py check --deploy`` looks for.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)
# With DEBUG on, Django answers an unknown URL with its English technical page listing every URL
# pattern, and an error with a traceback. Someone trying the portal with `make run` sees the
# portal's own 404/400/500 pages instead (core.middleware.PortalErrorPagesMiddleware, which
# still logs the traceback); DEBUG_TECHNICAL_PAGES=true brings Django's pages back.
DEBUG_TECHNICAL_PAGES = env.bool("DEBUG_TECHNICAL_PAGES", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-" + "x" * 32)
else:
    # No default: a production process without a secret key must not start.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
# `make run PORT=8201` exports PORT: links in e-mails and .ics files follow the port served.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# The region that runs this portal.
REGION_NAME = env("REGION_NAME", default="Region Västernorrland")
REGION_CONTACT_EMAIL = env("REGION_CONTACT_EMAIL", default="civilasamhallet@rvn.se")
REGION_CONTACT_PHONE = env("REGION_CONTACT_PHONE", default="0611-800 00")
# Version of the privacy notice that consent is recorded against (see core/templates/core/privacy.html).
PRIVACY_POLICY_VERSION = env("PRIVACY_POLICY_VERSION", default="2026-11")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER
    "django.contrib.humanize",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    # Ours
    "core",
    "accounts",
    "outbox",
    "organisations",
    "meetings",
    "agreements",
    "challenges",
    "elections",
    "api",
    "consultations",
]
# The benchmark (bench/run.py, bench/drills.py) sets BENCH=true for its processes: the `bench` app
# brings the load_bench_data command and the /bench/floor view. The portal never serves them.
BENCH = env.bool("BENCH", default=False)
if BENCH:
    INSTALLED_APPS.append("bench.apps.BenchConfig")

MIDDLEWARE = [
    # First: every log line of the request, and every task it queues, carries the request's id.
    "core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SwedishFirstLocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "core.middleware.PortalErrorPagesMiddleware",
]

ROOT_URLCONF = "samverkan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]
# One layout for every form: templates/forms/field.html and Bootstrap classes on the widgets (core/forms.py).
FORM_RENDERER = "core.forms.FormRenderer"

WSGI_APPLICATION = "samverkan.wsgi.application"

# Database: SQLite file in the project unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode (several web nodes and workers sharing PostgreSQL's
    # connections) a session lasts one transaction: no server-side cursors (a cursor would outlive
    # its transaction) and no prepared statements (psycopg prepares a query run five times, on a
    # server connection the next transaction may not get). PgBouncer itself restores TimeZone.
    if env.bool("DATABASE_TRANSACTION_POOLING", default=False):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker and cache when set; in-process tasks and local memory cache otherwise.
REDIS_URL = env("REDIS_URL", default="")
# Separate the cache from the broker so that clearing one never touches the other.
CACHE_URL = env("CACHE_URL", default="")
if REDIS_URL and not CACHE_URL:
    CACHE_URL = REDIS_URL.rsplit("/", 1)[0] + "/1" if REDIS_URL.count("/") >= 3 else REDIS_URL
# Per instance: two instances (staging and production, two test runs) on one Redis never serve each
# other's pages. By default the database's name: instances that share a database may share a cache.
# (SQLite: the file's whole path, so two checkouts differ.)
_database_name = str(DATABASES["default"].get("NAME") or "samverkan").strip("/")
CACHE_KEY_PREFIX = env(
    "CACHE_KEY_PREFIX",
    default="".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "-" for c in _database_name),
)
_cache_prefix = CACHE_KEY_PREFIX + os.environ.get("PYTEST_XDIST_WORKER", "")
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's backend with its client reused (core/cache.py says why).
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": _cache_prefix,
            "TIMEOUT": 300,
            # A Redis that hangs (not one that refuses) must not hang the pages: they build uncached.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samverkan",
            "KEY_PREFIX": _cache_prefix,
        }
    }
    # Rate limits are per process with a local cache: acceptable for one development process.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Sessions in the database: a login must survive Redis being down (cached_db would answer 500).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Celery
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues a task must not hang when Redis is down: publish fails fast, the
# outbox row stays queued and the sweeper sends it when the broker is back.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TIMEZONE = "Europe/Stockholm"
# The worker logs through LOGGING below (JSON with the request id), not Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The beat writes each job's last run to the database as soon as it sends it (not every 3 minutes):
# a beat that dies and is replaced does not send again what it had just sent.
CELERY_BEAT_SYNC_EVERY = 1
# The beat schedule is the apps' own (``portal.periodic`` in each portal.py): samverkan/celery.py
# reads it from the registry.
# Selection rounds: how long a candidate's accept/decline link works, and when the reminder to
# organisations that have not voted goes out (days before voting closes).
ELECTIONS_CANDIDATE_LINK_DAYS = env.int("ELECTIONS_CANDIDATE_LINK_DAYS", default=60)
ELECTIONS_REMINDER_DAYS = env.int("ELECTIONS_REMINDER_DAYS", default=2)
# Days after a round's result is published until candidates' addresses and who acted by person are removed.
ELECTIONS_RETENTION_DAYS = env.int("ELECTIONS_RETENTION_DAYS", default=90)
# Master key of the sealed ballots (elections/ballots.py): 32 random bytes in base64, several
# comma-separated with the one in use first. Unset: derived from SECRET_KEY (check --deploy warns).
ELECTIONS_BALLOT_KEY = env("ELECTIONS_BALLOT_KEY", default="")

# E-mail: console unless EMAIL_URL says otherwise (smtp://user:pass@host:port, smtp+tls://…).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL",
    default=f"Samverkansportalen <no-reply@{SITE_URL.split('//')[-1].split(':')[0].split('/')[0]}>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
# A worker keeps its SMTP connection open between e-mails for this long idle (0: a connection per e-mail).
OUTBOX_SMTP_REUSE_SECONDS = env.int("OUTBOX_SMTP_REUSE_SECONDS", default=30)
OUTBOX_STUCK_AFTER = timedelta(seconds=env.int("OUTBOX_STUCK_AFTER_SECONDS", default=300))
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=365)
OUTBOX_QUEUED_GRACE = timedelta(seconds=env.int("OUTBOX_QUEUED_GRACE_SECONDS", default=60))

# Users and allauth
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:mypages"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# allauth's forms with e-mail fields capped at the columns' 254 characters (see accounts/forms.py).
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "add_email": "accounts.forms.AddEmailForm",
    "change_email": "accounts.forms.ChangeEmailForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Tell people when their password, e-mail address or two-factor settings change (through the outbox).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samverkansportalen] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Rate limits on public forms (ours through django-ratelimit, allauth's own) can be switched off
# for load tests of other paths; they are on by default.
RATELIMIT_ENABLE = not env.bool("DISABLE_RATE_LIMITS", default=False)
# Behind a reverse proxy every visitor would share the proxy's address: name the header that
# carries the client's address (e.g. HTTP_X_REAL_IP) so that rate limits stay per client.
if env("RATELIMIT_IP_META_KEY", default=""):
    RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY")
# Failed logins (see accounts/adapter.py): per client and account; per client address over all
# accounts (generous, so people behind one shared address do not lock each other out); per account
# from everywhere. The last two bind only browsers the account has not logged in from before; from
# a browser with the account's device cookie, failures count per device and account instead, so no
# stranger can lock the owner out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_LOGIN_FAILED_RATE", default="5/5m/key"),
    "login_failed_ip": env("ACCOUNT_LOGIN_FAILED_IP_RATE", default="100/h/ip"),
    "login_failed_account": env("ACCOUNT_LOGIN_FAILED_ACCOUNT_RATE", default="30/30m/key"),
    "login_failed_device": env("ACCOUNT_LOGIN_FAILED_DEVICE_RATE", default="5/5m/key"),
}
if not RATELIMIT_ENABLE:
    ACCOUNT_RATE_LIMITS = False
# POSTs per client IP on the public sign-up and interest forms (django-ratelimit rates: "10/m", "100/h").
MEETINGS_REGISTRATION_RATE = env("MEETINGS_REGISTRATION_RATE", default="10/m")
ORGANISATIONS_INTEREST_RATE = env("ORGANISATIONS_INTEREST_RATE", default="10/m")
# Nominations in selection rounds: POSTs of the form per user and per nominating organisation
# (django-ratelimit rates), and the candidate e-mails they cause, counted in the database: at most
# so many per nominating user and hour, and one address is asked at most once in so many hours.
ELECTIONS_NOMINATION_RATE = env("ELECTIONS_NOMINATION_RATE", default="10/h")
ELECTIONS_NOMINATION_ORGANISATION_RATE = env("ELECTIONS_NOMINATION_ORGANISATION_RATE", default="20/h")
ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR = env.int("ELECTIONS_CANDIDATE_EMAILS_PER_USER_HOUR", default=5)
ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS = env.int("ELECTIONS_CANDIDATE_EMAIL_INTERVAL_HOURS", default=24)
# Retention (run by the daily purge): registrations are anonymised this many days after their meeting
# ended; organisations that were never verified are deleted this many days after their last submission.
MEETINGS_REGISTRATION_RETENTION_DAYS = env.int("MEETINGS_REGISTRATION_RETENTION_DAYS", default=90)
ORGANISATIONS_UNVERIFIED_RETENTION_DAYS = env.int("ORGANISATIONS_UNVERIFIED_RETENTION_DAYS", default=365)
# Consultations: drafts never submitted and who answered by person go this many days after the compilation
# is published (or after the deadline when none is); challenges: who raised or joined by person goes this
# many days after the challenge was concluded or declined.
CONSULTATIONS_RETENTION_DAYS = env.int("CONSULTATIONS_RETENTION_DAYS", default=90)
CONSULTATIONS_UNCOMPILED_RETENTION_DAYS = env.int("CONSULTATIONS_UNCOMPILED_RETENTION_DAYS", default=365)
CHALLENGES_RETENTION_DAYS = env.int("CHALLENGES_RETENTION_DAYS", default=90)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samverkansportalen"
# A staff user without TOTP is sent to set it up before the admin opens.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=not DEBUG)


# Internationalisation: Swedish first, English available.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# locale: the project's own texts (make messages); accounts/locale_allauth: fixes to allauth's Swedish;
# locale_vendor: Swedish for third-party admin templates (import-export, history) kept by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "accounts" / "locale_allauth", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["samverkan.formats"]

# Static files from our own folder, served by whitenoise (never a CDN).
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files go through the storage API: local folder by default, outside the static files;
# nothing under MEDIA_ROOT is served publicly (documents are streamed by views that check access).
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"


# Object storage (any S3-compatible service) when a bucket is named, the local disk when not. Either way
# there are two stores: "default" for documents shown on public pages, "private" (another bucket, or the
# same bucket under a prefix) for board decisions, attachments and anything not public. No file is ever
# linked from a bucket URL: views check access and stream it (core.files.file_response).
def file_storages(env) -> dict:
    """The "default" and "private" entries of STORAGES from the environment (a function: tests call it)."""
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "core.files.PrivateFileSystemStorage"},  # MEDIA_ROOT/private
        }
    location = env("AWS_LOCATION", default="").strip("/")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        # Unset: boto3's own chain (instance role, ~/.aws/credentials).
        "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,  # "path" for MinIO and the like
        "location": location,
        "default_acl": None,  # the bucket's own policy, which must not allow public reads
        "querystring_auth": True,  # any URL the backend makes is signed and short-lived; we make none
        "querystring_expire": 60,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    private = {
        **options,
        "bucket_name": env("AWS_PRIVATE_STORAGE_BUCKET_NAME", default="") or bucket,
        "location": env("AWS_PRIVATE_LOCATION", default=f"{location}/private".lstrip("/")).strip("/"),
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private},
    }


# Largest upload of any document (core.files.DocumentValidator).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=25) * 1024 * 1024
STORAGES = {
    **file_storages(env),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security. Production hardening when DEBUG is off; every value can be overridden.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# The language switcher's cookie: no script reads it, and over HTTPS only where the session's is
# (an instance on plain http with SESSION_COOKIE_SECURE=false would otherwise never get it back,
# and the switcher would not switch).
LANGUAGE_COOKIE_SECURE = env.bool("LANGUAGE_COOKIE_SECURE", default=SESSION_COOKIE_SECURE)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A form without a valid token gets the portal's own page (templates/403_csrf.html), not Django's.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy: the portal uses none of these browser features, so no page (or anything
# injected into one) may ask for them (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Open data API (api/): read-only, anonymous, JSON; see api/README.md.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PublicPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.PublicAutoSchema",
    "EXCEPTION_HANDLER": "api.conventions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    # ?format= is a filter of the meetings (digital, physical, hybrid), not a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}
# Requests per client address (REMOTE_ADDR or RATELIMIT_IP_META_KEY) before a 429 with Retry-After.
API_ANON_RATE = env("API_ANON_RATE", default="600/min")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)
# The licence of the open data (API, downloads, catalogue): CC0 unless the region decides otherwise.
OPEN_DATA_LICENSE_URL = env("OPEN_DATA_LICENSE_URL", default="http://creativecommons.org/publicdomain/zero/1.0/")
OPEN_DATA_LICENSE_NAME = env("OPEN_DATA_LICENSE_NAME", default="CC0 1.0 Universal")
SPECTACULAR_SETTINGS = {
    "TITLE": "Samverkansportalen – öppna data",
    "DESCRIPTION": _(
        "Read-only open data API of Samverkansportalen: meetings, the public directory of organisations, "
        "agreements with their action plans and signatories. Anonymous, JSON, paginated."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "LICENSE": {"name": OPEN_DATA_LICENSE_NAME, "url": OPEN_DATA_LICENSE_URL},
    "CONTACT": {"name": REGION_NAME},
}
# CORS: anyone may read the API from a browser (GET only, no cookies).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# X-Request-ID: a browser client of the API can quote it in a report (core.observability).
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Content-Language", "X-Request-ID"]

# Logging: no personal data in log lines; services log ids, never names or addresses, and the formatters
# replace any e-mail address or token that reaches a line anyway (an exception's message, a URL). One line
# per record on stderr, JSON when LOG_FORMAT=json (the default with DEBUG off), each with the request id
# that core.observability.RequestIdMiddleware set (and that follows the request into the tasks it queues).
LOG_FORMAT = env("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.observability.RequestIdLogFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {
            "()": "core.observability.ScrubbingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            "()": "core.observability.ScrubbingJsonFormatter",
            # "timestamp": ISO 8601 in UTC with microseconds.
            "fmt": "%(levelname)s %(name)s %(request_id)s %(task_id)s %(process)d %(message)s",
            "timestamp": True,
            "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        },
        # Errors by e-mail to ADMINS, sent directly rather than through the outbox (it must work when the
        # database does not), without form values, cookies, e-mail addresses or tokens.
        "mail_admins": {
            "class": "core.observability.ScrubbingAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Named here so that Django's own default handlers on "django" (an unscrubbed mail_admins) go.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.observability.PersonalDataReporterFilter"


# Who receives error e-mails: ADMINS="Ada Admin <ada@example.se>,ops@example.se" (empty: nobody).
def admins_from(value: list[str]) -> list[tuple[str, str]]:
    from email.utils import parseaddr

    return [(name or address, address) for name, address in (parseaddr(v) for v in value) if "@" in address]


ADMINS = admins_from(env.list("ADMINS", default=[]))
MANAGERS = ADMINS

# Error reporting: sentry-sdk when SENTRY_DSN is set (Django and Celery), with no personal data
# (send_default_pii off, no request bodies, e-mail addresses and tokens scrubbed; core/sentry.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        release=env("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
