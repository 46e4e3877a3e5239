"""Logging, error e-mails to ADMINS and error reporting (Sentry). Imported last: Sentry starts with the settings."""

from .base import DEBUG, env

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
DEFAULT_EXCEPTION_REPORTER = "core.observability.PersonalDataExceptionReporter"


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
