"""core.storage_errors: a storage error becomes a message on the form and 503; nothing else is caught."""

import errno
import logging

import pytest
from botocore.exceptions import EndpointConnectionError
from django import forms
from django.core.files.base import ContentFile

from core.storage_errors import MESSAGE, upload_storing
from tests.storage_faults import RefusingBucketStorage


class NoteForm(forms.Form):
    note = forms.CharField()


def _form():
    form = NoteForm({"note": "Vald på årsmötet."})
    assert form.is_valid()
    return form


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "/srv/media/private/Rita Representant.pdf"), "ENOTDIR"),
        (OSError(errno.ENOSPC, "No space left on device"), "ENOSPC"),
        (EndpointConnectionError(endpoint_url="https://s3.example.se/bucket"), "-"),
    ],
)
def test_a_storage_error_becomes_a_form_error_and_503_logged_by_its_code_only(error, code, caplog):
    form = _form()
    with upload_storing(form, where="tests.note") as upload:
        raise error
    assert (upload.failed, upload.status) == (True, 503)
    assert form.non_field_errors() == [str(MESSAGE)]
    (record,) = [r for r in caplog.records if r.name == "core.storage_errors"]
    assert record.levelno == logging.ERROR and "tests.note" in record.getMessage() and code in record.getMessage()
    assert "Rita" not in record.getMessage() and record.exc_info is None


def test_a_refused_bucket_upload_is_logged_with_the_services_code(caplog):
    form = _form()
    with upload_storing(form, where="tests.note") as upload:
        RefusingBucketStorage().save("protokoll.pdf", ContentFile(b"%PDF"))
    assert upload.failed
    assert "SlowDown" in caplog.records[-1].getMessage() and "protokoll" not in caplog.records[-1].getMessage()


def test_nothing_else_is_caught_and_a_stored_upload_changes_nothing():
    form = _form()
    with upload_storing(form, where="tests.note") as upload:
        pass
    assert (upload.failed, upload.status, form.errors) == (False, None, {})
    with pytest.raises(ValueError), upload_storing(form, where="tests.note"):
        raise ValueError("a bug, not the storage")
    assert form.errors == {}
