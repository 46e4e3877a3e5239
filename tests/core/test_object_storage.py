"""Object storage: the S3 backend configured from the environment, against a real S3-compatible server
(moto's HTTP server on a free port chosen by the OS), with every file still served by the portal's views."""

import uuid

import boto3
import environ
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer

from agreements.models import Signatory
from core.files import private_storage
from meetings.models import Meeting, MeetingDocument
from samverkan.settings import file_storages
from tests.factories import (
    AgreementFactory,
    MandatedRepresentativeFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.samples import HTML, PDF, upload

pytestmark = pytest.mark.django_db

REGION = "eu-north-1"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """STORAGES as settings.py builds them from these environment variables, with fresh buckets."""
    public, private = f"dokument-{uuid.uuid4().hex[:12]}", f"privat-{uuid.uuid4().hex[:12]}"
    environment = {
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_STORAGE_BUCKET_NAME": public,
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": private,
        "AWS_ACCESS_KEY_ID": "samverkan-test",
        "AWS_SECRET_ACCESS_KEY": "samverkan-test-secret",
        "AWS_S3_REGION_NAME": REGION,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id="samverkan-test",
        aws_secret_access_key="samverkan-test-secret",
    )
    for bucket in (public, private):
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**settings.STORAGES, **file_storages(environ.Env())}
    client.public_bucket, client.private_bucket = public, private
    return client


def _keys(s3, bucket):
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_settings_from_the_environment_select_the_s3_backend(s3, s3_endpoint):
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    assert default_storage.bucket_name == s3.public_bucket
    storage = private_storage()
    assert storage.bucket_name == s3.private_bucket
    assert storage.location == "private"
    assert storage.endpoint_url == s3_endpoint


def test_without_a_bucket_files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    storages = file_storages(environ.Env())
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["BACKEND"] == "core.files.PrivateFileSystemStorage"


@pytest.fixture
def representative():
    user = UserFactory()
    MandatedRepresentativeFactory(user=user, organisation=OrganisationFactory())  # signing needs a mandate
    return user


def _sign(client, agreement, representative, board_decision):
    client.force_login(representative)
    return client.post(
        reverse("agreements:sign", args=[agreement.slug]),
        {
            "organisation": representative.organisations.get().pk,
            "signed_by_name": "Anna Ordförande",
            "signed_by_title": "Ordförande",
            "confirms_authority": "on",
            "public": "on",
            "board_decision": board_decision,
        },
    )


def test_board_decision_round_trip_in_the_private_bucket(s3, representative, coordinator):
    agreement = AgreementFactory()
    response = _sign(Client(), agreement, representative, upload("styrelsebeslut.pdf", PDF))
    assert response.status_code == 302
    signatory = Signatory.objects.get()
    key = f"private/{signatory.board_decision.name}"
    # Uploaded: into the private bucket under its prefix, nothing in the public bucket.
    assert _keys(s3, s3.private_bucket) == [key]
    assert _keys(s3, s3.public_bucket) == []
    assert s3.get_object(Bucket=s3.private_bucket, Key=key)["Body"].read() == PDF
    grants = s3.get_object_acl(Bucket=s3.private_bucket, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]

    url = reverse("agreements:board_decision", args=[signatory.pk])
    # Downloaded through the view, streamed by the portal (never a redirect to the bucket).
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    download = coordinator_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["Cache-Control"] == "private, no-store"

    # Refused: anonymous visitors and the representative who uploaded it.
    assert Client().get(url)["Location"].startswith(reverse("account_login"))
    representative_client = Client()
    representative_client.force_login(representative)
    assert representative_client.get(url).status_code == 403

    # Deleted: gone from the bucket, and the view says so.
    signatory.board_decision.delete(save=True)
    assert _keys(s3, s3.private_bucket) == []
    assert coordinator_client.get(url).status_code == 404


def test_refused_upload_leaves_nothing_in_the_bucket(s3, representative):
    response = _sign(Client(), AgreementFactory(), representative, upload("beslut.pdf", HTML))
    assert "Filen måste vara en PDF." in response.content.decode()
    assert _keys(s3, s3.private_bucket) == []
    assert not Signatory.objects.exists()


def test_meeting_document_round_trip_in_the_public_bucket(s3, coordinator, s3_endpoint):
    meeting = MeetingFactory()
    admin = Client()
    admin.force_login(coordinator)
    response = admin.post(
        "/admin/meetings/meetingdocument/add/",
        {
            "meeting": meeting.pk,
            "kind": "minutes",
            "title": "Minnesanteckningar",
            "order": 0,
            "file": upload("minnesanteckningar.pdf", PDF),
        },
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert _keys(s3, s3.public_bucket) == [document.file.name]

    visitor = Client()
    page = visitor.get(meeting.get_absolute_url()).content.decode()
    assert document.file_url in page
    assert s3_endpoint not in page  # never a bucket URL, signed or not
    download = visitor.get(document.file_url)
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"

    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.DRAFT)
    assert visitor.get(document.file_url).status_code == 404

    document.file.delete(save=False)
    assert _keys(s3, s3.public_bucket) == []
