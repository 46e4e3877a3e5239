"""The ground every other settings module stands on: the environment, paths, the instance, apps and middleware.

``env`` reads the process environment (and a ``.env`` file in the project, if there is one); ``DEBUG`` decides
the production hardening the other modules turn on.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

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

# Hosts are the regions': each region lists its own (core.models.RegionHost), and core.regions.RegionMiddleware
# answers a host that names no region with a plain 404. ALLOWED_HOSTS only seeds the first region's hosts
# (the migration that creates it from these settings); Django itself lets every host through to that check.
REGION_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
ALLOWED_HOSTS = ["*"]
# A GET on a region's secondary host is redirected to its primary host (tests turn this off: the test
# client's "testserver" is a secondary host of the test region).
REGION_REDIRECT_SECONDARY_HOSTS = env.bool("REGION_REDIRECT_SECONDARY_HOSTS", default=True)
# The one base of every absolute link (e-mails, .ics files, the API's schema). Unset, it follows the
# port served: `make run PORT=8201` exports PORTAL_PORT=8201 once, before honcho starts the processes.
# Not PORT: honcho gives each process its own (web 8201, the periodic process 8301, beat 8401 …), and
# links written by the periodic process must point where the web process listens.
PORTAL_PORT = env.int("PORTAL_PORT", default=env.int("PORT", default=8000))
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORTAL_PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# The first region of the installation: the migration that adds regions creates it from these (with
# REGION_HOSTS above); further regions are created in the admin. Short name: see core.models.Region.
REGION_SHORT_NAME = env("REGION_SHORT_NAME", default="vasternorrland")
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
    # e-ID (Swedish e-identification) by OpenID Connect, one app per region: settings/auth.py, accounts/eid.py
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
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
    "notifications",
    "webhooks",
    "organisations",
    "meetings",
    "agreements",
    "challenges",
    "elections",
    "api",
    "consultations",
    "earchive",
    "accessibility",
    "partnerships",
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
    # The region of the host: everything after runs inside its scope (core/regions.py).
    "core.regions.RegionMiddleware",
    # A cached page for an anonymous visitor without messages, answered before the rest (core/pagecache_fast.py).
    "core.pagecache_fast.FastPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SwedishFirstLocaleMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # django-csp's, with the settings' policy built once per process (core/middleware.py).
    "core.middleware.CSPMiddleware",
    # After CSP: the host region's e-ID provider may receive the e-ID forms' redirect (accounts/eid.py).
    "accounts.eid.EIDFormActionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "core.middleware.PortalErrorPagesMiddleware",
]
if BENCH and env.bool("BENCH_REQUEST_COST", default=False):
    # What each request costs in the web process, as response headers (bench/middleware.py; bench only).
    MIDDLEWARE.insert(0, "bench.middleware.RequestCostMiddleware")

ROOT_URLCONF = "samverkan.urls"

# The admin's history shows earlier versions, and never writes one back: a "revert" saves every column of the old
# row, the fields the admin keeps read-only and the services' states included (core/admin_input.py refuses it).
SIMPLE_HISTORY_REVERT_DISABLED = True

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
