"""Queries per request stay the same from a handful of rows to thousands, and a cached answer costs none."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Signatory
from organisations.models import Organisation
from tests.factories import (
    AgreementFactory,
    AreaOfActivityFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def _organisations(n, municipality, area):
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Förening {i:05}", slug=f"forening-{i:05}", municipality=municipality,
                     status="verified", public_listing=True)
        for i in range(n)
    )  # fmt: skip
    Organisation.areas.through.objects.bulk_create(
        Organisation.areas.through(organisation=o, areaofactivity=area) for o in organisations
    )
    return organisations


def _meetings(n):
    for _ in range(n):
        meeting = MeetingFactory()
        SpeakerFactory.create_batch(2, programme_item=ProgrammeItemFactory(meeting=meeting))
        MeetingDocumentFactory(meeting=meeting)
        RegistrationFactory(meeting=meeting)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("path", ["/api/v1/organisations/", "/api/v1/organisations/?q=förening&ordering=-name"])
def test_organisation_list_queries_do_not_grow(client, path):
    municipality, area = MunicipalityFactory(), AreaOfActivityFactory()
    _organisations(3, municipality, area)
    small = _count(client, path + ("&" if "?" in path else "?") + "lang=en")
    Organisation.objects.all().delete()
    _organisations(1200, municipality, area)
    assert _count(client, path + ("&" if "?" in path else "?") + "lang=sv") <= small


def test_meeting_list_queries_do_not_grow(client):
    _meetings(2)
    small = _count(client, "/api/v1/meetings/?lang=en")
    _meetings(25)
    assert _count(client, "/api/v1/meetings/?lang=sv&page_size=100") <= small


def test_signatory_list_queries_do_not_grow(client):
    municipality, area = MunicipalityFactory(), AreaOfActivityFactory()
    small_agreement, large_agreement = AgreementFactory(slug="liten"), AgreementFactory(slug="stor")
    for agreement, n in ((small_agreement, 3), (large_agreement, 1500)):
        Signatory.objects.bulk_create(
            Signatory(agreement=agreement, organisation=o, signed_on=dt.date(2014 + i % 6, 1, 1), status="verified")
            for i, o in enumerate(_organisations_for(agreement, n, municipality, area))
        )
    small = _count(client, "/api/v1/agreements/liten/signatories/?year=2014")
    assert _count(client, "/api/v1/agreements/stor/signatories/?year=2014&page_size=500") <= small
    assert _count(client, "/api/v1/agreements/stor/growth/") <= _count(client, "/api/v1/agreements/liten/growth/")


def _organisations_for(agreement, n, municipality, area):
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"{agreement.slug} {i:05}", slug=f"{agreement.slug}-{i:05}", municipality=municipality,
                     status="verified", public_listing=True)
        for i in range(n)
    )  # fmt: skip
    return organisations


def test_agreement_list_queries_do_not_grow(client):
    AgreementFactory()
    small = _count(client, "/api/v1/agreements/?lang=en")
    for _ in range(15):
        AgreementFactory()
    assert _count(client, "/api/v1/agreements/?lang=sv") <= small


def test_a_cached_answer_costs_no_query_until_something_changes(client, run_on_commit):
    organisation = OrganisationFactory()
    MeetingFactory()
    for path in ("/api/v1/organisations/", "/api/v1/meetings/", f"/api/v1/organisations/{organisation.slug}/"):
        assert _count(client, path) > 0
        with CaptureQueriesContext(connection) as queries:  # an unknown parameter: a 400 that asks nothing either
            assert client.get(path + "?unknown=1").status_code == 400
        assert len(queries.captured_queries) == 0
    with run_on_commit():  # the page cache moves on when the edit commits
        organisation.name = "Nytt namn"
        organisation.save()
    assert b"Nytt namn" in client.get("/api/v1/organisations/").content


def test_a_sign_up_shows_at_once_in_the_cached_meeting_list_and_meeting(client, run_on_commit):
    from meetings import services

    with run_on_commit():  # its own bump is done with before the answers are cached
        meeting = MeetingFactory(capacity=10)
    list_url, detail_url = "/api/v1/meetings/", f"/api/v1/meetings/{meeting.slug}/"

    def places(url):
        data = client.get(url).json()
        row = next(r for r in data["results"] if r["slug"] == meeting.slug) if "results" in data else data
        return row["places_left"]

    assert (places(list_url), places(detail_url)) == (10, 10)
    assert _count(client, list_url) == 0 and _count(client, detail_url) == 0  # both cached
    with run_on_commit():
        services.registration_create(meeting=meeting, name="Ada", email="ada@example.org", consent=True)
    assert (places(list_url), places(detail_url)) == (9, 9)
