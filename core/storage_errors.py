"""An upload that cannot be stored is a message on the form, never a 500 that loses what was typed.

The disk full or read-only, ``MEDIA_ROOT`` gone, the object storage refusing or out of reach: Django's
storage raises ``OSError``, django-storages (S3) a botocore or boto3 error. A view that stores an upload
wraps the service call in ``upload_storing(form, where=...)``::

    with upload_storing(form, where="organisations.mandate_request") as upload:
        mandate_request(...)
        return redirect(...)
    status = upload.status or 400  # 503 when the file could not be stored

On such an error the form gets a message in the visitor's language (``MESSAGE``), ``upload.status`` is 503
and the error is logged at ERROR (so Sentry gets it) with its type and code only: an exception's text can
hold a file name or a path with a person's name in it. The form is shown again bound to the POST, so the
text fields keep what was typed (a browser never keeps a chosen file: the message asks for it again).

Nothing is half-stored because the call wrapped is a service whose writes are one transaction
(``transaction.atomic``): the storage error leaves it before the commit and rolls it back. The helper opens
no transaction of its own, so a service's ``retry_on_locked`` (core/db.py) still works inside it.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MESSAGE = _("The file could not be stored just now. Nothing was saved: choose the file again and try once more.")
UNAVAILABLE = 503


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]  # the local disk (also a network file system timing out)
    try:  # object storage (django-storages' S3 backend)
        from boto3.exceptions import Boto3Error  # S3UploadFailedError wraps a refused upload
        from botocore.exceptions import BotoCoreError, ClientError  # unreachable, or refused (403, 503 SlowDown)
    except ImportError:  # pragma: no cover - boto3 is a runtime dependency
        pass
    else:
        errors += [Boto3Error, BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


@dataclass
class UploadStoring:
    """What became of the upload: ``failed`` after a storage error, and the status to answer with."""

    failed: bool = False

    @property
    def status(self) -> int | None:
        return UNAVAILABLE if self.failed else None


def _code(exc: BaseException | None) -> str:
    """The error's code, never its text: ``ENOSPC``, ``AccessDenied``, else the cause's."""
    for _depth in range(4):
        if exc is None:
            break
        number = getattr(exc, "errno", None)
        if isinstance(number, int) and number in errno.errorcode:
            return errno.errorcode[number]
        response = getattr(exc, "response", None)
        if isinstance(response, dict) and response.get("Error", {}).get("Code"):
            return str(response["Error"]["Code"])
        exc = exc.__cause__ or exc.__context__
    return "-"


@contextmanager
def upload_storing(form, *, where: str) -> Iterator[UploadStoring]:
    """Run the block that stores an upload; a storage error becomes ``MESSAGE`` on ``form`` (non-field) and
    ``failed``/``status`` on what is yielded. Any other exception goes on as before."""
    outcome = UploadStoring()
    try:
        yield outcome
    except STORAGE_ERRORS as exc:
        outcome.failed = True
        log_storage_error(exc, where=where)
        form.add_error(None, MESSAGE)


def log_storage_error(exc: BaseException, *, where: str) -> None:
    """At ERROR (Sentry gets it), with the error's type and code only, never its text."""
    logger.error(
        "storage: an upload could not be stored in %s (%s %s); nothing saved, the form shown again",
        where,
        type(exc).__name__,
        _code(exc),
    )
