"""The open data API: Django REST framework, its schema, CORS and the licence of the data."""

from django.utils.translation import gettext_lazy as _

from .base import REGION_NAME, env

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
    # The language of a written text (``title_lang`` …, api/fields.py): one component for all of them.
    "ENUM_NAME_OVERRIDES": {"TextLanguageEnum": ["sv", "en"]},
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
