"""Settings for Samverkansportalen, a package by concern.

Every knob is an environment variable with a safe development default. With nothing set the portal runs on
SQLite, runs tasks in-process and prints e-mail to the console. With ``DATABASE_URL``, ``REDIS_URL`` and
``EMAIL_URL`` it runs on PostgreSQL, Celery workers + beat on Redis, and SMTP. ``DEBUG=false`` turns on the
production hardening that ``manage.py check --deploy`` looks for.

``DJANGO_SETTINGS_MODULE`` stays ``samverkan.settings``: this module gathers the parts, in this order (a
later part may use what an earlier one defined, never the reverse). Each setting is defined in exactly one
part (tests/core/test_settings_package.py checks it):

    base       the environment (``env``, ``DEBUG``), paths, the instance (``SITE_URL``, the region), apps,
               middleware, templates
    database   ``DATABASES`` (SQLite pragmas, PostgreSQL pooling)
    cache      ``REDIS_URL``, ``CACHES``, sessions
    celery     the broker and the beat schedule (every periodic job)
    email      the e-mail backend and the sender
    auth       the user model, allauth, the second factor, login rate limits
    i18n       languages, time zone, formats
    storage    static files, uploads, object storage
    security   HTTPS, cookies, headers, the Content Security Policy
    api        the open data API (REST framework, schema, CORS, licence)
    knobs      each app's own limits, rates and retention periods (OUTBOX_*, MEETINGS_*, ELECTIONS_* …)
    logging    logs, error e-mails (ADMINS), Sentry (last: it starts with the settings)
"""

# In this order, not alphabetical: Sentry (logging) starts last, with everything else in place.
# ruff: noqa: I001, F403
from .base import *
from .database import *
from .cache import *
from .celery import *
from .email import *
from .auth import *
from .i18n import *
from .storage import *
from .security import *
from .api import *
from .knobs import *
from .logging import *
