"""Storages that cannot store, for the tests of uploads when the disk or the object storage fails
(core/storage_errors.py): the same failures a view meets in production, without a real bucket."""

import logging

import pytest
from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import ClientError
from django.core.files.storage import FileSystemStorage

from core.storage_errors import MESSAGE


class RefusingBucketStorage(FileSystemStorage):
    """Every save fails as django-storages' S3 backend fails when the bucket refuses the upload: boto3's
    S3UploadFailedError raised while handling botocore's ClientError (here a 503 SlowDown)."""

    def _save(self, name, content):
        try:
            raise ClientError(
                {"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}, "PutObject"
            )
        except ClientError as exc:
            raise S3UploadFailedError(f"Failed to upload {name} to bucket/{name}: {exc}")  # noqa: B904 - as boto3 does


@pytest.fixture
def media_root_is_a_file(settings, tmp_path):
    """``MEDIA_ROOT`` pointing at a regular file: every save on the local disk fails (ENOTDIR)."""
    path = tmp_path / "media"
    path.write_text("not a folder")
    settings.MEDIA_ROOT = path
    return path


@pytest.fixture
def refusing_bucket(settings, tmp_path):
    """Both file stores ("default" and "private") on a bucket that refuses every upload."""
    settings.MEDIA_ROOT = tmp_path / "media"
    backend = {"BACKEND": f"{__name__}.RefusingBucketStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": backend, "private": backend}


def storage_failure_shown(response) -> bool:
    """The form again, answered 503, with the message in the page's language."""
    return response.status_code == 503 and str(MESSAGE) in response.content.decode()


def logged_without(caplog, *secrets: str) -> bool:
    """The failure is logged at ERROR (Sentry's level), and no line carries any of ``secrets``."""
    records = [r for r in caplog.records if r.name == "core.storage_errors" and r.levelno == logging.ERROR]
    text = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    return bool(records) and not any(secret in text for secret in secrets)
