"""Request ids, JSON logs and error reporting without personal data.

- ``RequestIdMiddleware`` gives every request an id (the ``X-Request-ID`` that nginx sends, when it looks
  like one, otherwise a new one), answers with it and puts it on every log line of the request.
- The Celery signals below copy the id into the headers of every task the request queues, and back into
  the log lines of the worker that runs it: one id follows a sign-up from the web node into the e-mail task.
- ``RequestIdLogFilter`` adds ``request_id`` (and ``task_id`` inside a task) to log records; the JSON
  formatter in settings writes them as fields.
- ``PersonalDataReporterFilter`` and ``PersonalDataExceptionReporter``: error e-mails to ``ADMINS`` without
  form values, query values, cookies, addresses or the signed-in person's name. (Sentry: ``core.sentry``.)
"""

import contextvars
import logging
import re
import uuid

import sentry_sdk
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from pythonjsonlogger.json import JsonFormatter

from .sentry import FILTERED, scrub_text, without_query

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"  # the Celery message header that carries it

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
# What we accept from a proxy: short, and nothing that could forge a log line or a header.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str | None:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id for the request's log lines and the tasks it queues; sends it back as a header.

    Place it first, so that every other middleware's log lines carry the id too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        # Not reset on the way out: Django logs a 4xx after the middleware has returned. It is cleared
        # when the response is finished (request_finished below) and replaced by the next request.
        _request_id.set(request_id)
        # The error report in Sentry can be found from the id a visitor or the nginx log gives.
        sentry_sdk.set_tag("request_id", request_id)
        response = self.get_response(request)
        response.headers[HEADER] = request_id
        return response


@receiver(request_finished, dispatch_uid="core.observability.request_id_cleared")
def _request_id_cleared(**kwargs):
    _request_id.set(None)


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` and ``task_id`` to every record (``-`` outside a request or task)."""

    def filter(self, record):
        record.request_id = _request_id.get() or "-"
        record.task_id = _task_id.get() or "-"
        return True


# ---------------------------------------------------------------- Celery


@before_task_publish.connect(dispatch_uid="core.observability.request_id_into_task")
def _request_id_into_task(headers=None, **kwargs):
    """Publishing (web node or task): the current request id goes along in the message's headers."""
    request_id = _request_id.get()
    if request_id and headers is not None and not headers.get(TASK_HEADER):
        headers[TASK_HEADER] = request_id


def task_request_id(task) -> str | None:
    """The request id a task was queued under: a message header (worker) or ``apply(headers=…)``."""
    request = task.request
    value = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    return value if isinstance(value, str) and _VALID_ID.match(value) else None


_task_tokens: dict[str, tuple] = {}


@task_prerun.connect(dispatch_uid="core.observability.request_id_in_task")
def _request_id_in_task(task_id=None, task=None, **kwargs):
    # An eager task runs inside the request: it keeps the request's id when its message has none.
    request_id = task_request_id(task) or _request_id.get()
    _task_tokens[task_id] = (_request_id.set(request_id), _task_id.set(task_id))


@task_postrun.connect(dispatch_uid="core.observability.request_id_after_task")
def _request_id_after_task(task_id=None, **kwargs):
    tokens = _task_tokens.pop(task_id, None)
    if tokens:
        _request_id.reset(tokens[0])
        _task_id.reset(tokens[1])


class ScrubbingFormatter(logging.Formatter):
    """Plain log lines with e-mail addresses and tokens (in URLs, in exception messages) replaced."""

    def format(self, record):
        return scrub_text(super().format(record))


class ScrubbingJsonFormatter(JsonFormatter):
    """JSON log lines (python-json-logger), scrubbed like ``ScrubbingFormatter``."""

    def format(self, record):
        return scrub_text(super().format(record))


class ScrubbingAdminEmailHandler(AdminEmailHandler):
    """Django's error e-mail to ``ADMINS``, with e-mail addresses and tokens replaced in subject and body."""

    def send_mail(self, subject, message, *args, **kwargs):
        kwargs.pop("html_message", None)
        super().send_mail(scrub_text(subject), scrub_text(message), *args, **kwargs)


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error e-mails to ADMINS without personal data: no form values, no cookies, no e-mail addresses in URLs."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_cookies(self, request):
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        safe = {}
        for k, v in meta.items():
            if k in ("HTTP_COOKIE", "HTTP_REFERER"):
                continue
            if k == "QUERY_STRING" and v:
                v = self.cleansed_substitute
            elif k in ("RAW_URI", "REQUEST_URI") and isinstance(v, str):
                v = without_query(v)
            safe[k] = scrub_text(v) if isinstance(v, str) else v
        return safe

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleansed_substitute) for name, _ in super().get_traceback_frame_variables(request, tb_frame)
        ]


class PersonalDataExceptionReporter(ExceptionReporter):
    """Django's error report (the e-mail to ``ADMINS``) without what a visitor typed into the address: the
    query's values (a search for a person's name, an address typed into a GET form, percent-encoded or
    not) are left out of the URL and the GET section, and the signed-in person is named by account id,
    not by name (``User.__str__`` is the full name)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        request = self.request
        if request is not None:
            data["request_GET_items"] = [(key, FILTERED) for key in request.GET]
            data["request_insecure_uri"] = without_query(data.get("request_insecure_uri") or "")
            if data.get("user_str"):
                try:
                    user = request.user
                    data["user_str"] = f"account id {user.pk}" if user.is_authenticated else "anonymous"
                except Exception:  # noqa: BLE001 - the session's database away, as Django's own report allows
                    data["user_str"] = "[unable to retrieve the current user]"
        return data
