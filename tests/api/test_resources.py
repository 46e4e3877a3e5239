"""What each resource shows: the same as the public pages, in the request's language."""

import pytest
from django.urls import reverse

from core.links import absolute_url
from tests.factories import MeetingDocumentFactory

pytestmark = pytest.mark.django_db


def test_meetings_are_the_visible_ones_with_programme_speakers_and_times_with_offset(client, world):
    data = client.get("/api/v1/meetings/").json()
    slugs = [m["slug"] for m in data["results"]]
    assert data["count"] == 2 and world.draft.slug not in slugs
    meeting = next(m for m in data["results"] if m["slug"] == world.meeting.slug)
    assert meeting["url"] == "http://testserver" + world.meeting.get_absolute_url()
    assert meeting["start"].endswith(("+01:00", "+02:00"))
    assert meeting["time_zone"] == "Europe/Stockholm"
    assert meeting["format"] == "digital" and meeting["venue"] is None
    assert meeting["programme"][0]["speakers"][0]["name"] == "Anna Talare"
    assert meeting["topics"] == ["Ukraina", "folkhälsa"]
    assert meeting["places_left"] == world.meeting.capacity - 1
    assert meeting["registration"]["state"] == "open"
    assert "online_link" not in meeting


def test_a_draft_meeting_is_not_found(client, world):
    response = client.get(f"/api/v1/meetings/{world.draft.slug}/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_an_uploaded_meeting_document_links_to_the_checked_document_view_never_the_media_url(client, world, media_root):
    from django.core.files.base import ContentFile

    document = MeetingDocumentFactory(
        meeting=world.meeting, url="", title="Protokoll", file=ContentFile(b"%PDF-1.4 test", name="protokoll.pdf")
    )
    data = client.get(f"/api/v1/meetings/{world.meeting.slug}/").json()
    link = next(d["url"] for d in data["documents"] if d["title"] == "Protokoll")
    assert "/media/" not in (link or "")
    try:
        expected = reverse("meetings:document", kwargs={"slug": world.meeting.slug, "pk": document.pk})
    except Exception:  # the document view is not on this branch yet
        assert link is None
    else:
        assert link == "http://testserver" + expected


def test_organisations_are_the_directory_and_its_filters(client, world):
    data = client.get("/api/v1/organisations/").json()
    assert [o["name"] for o in data["results"]] == ["Idrottsföreningen Härnösand", "Scouterna Sundsvall"]
    assert "contacts" not in data["results"][0] and "representatives" not in data["results"][0]
    by_municipality = client.get(f"/api/v1/organisations/?municipality={world.sundsvall.pk}").json()
    assert [o["slug"] for o in by_municipality["results"]] == [world.scouts.slug]
    by_area = client.get(f"/api/v1/organisations/?area={world.sport.pk}").json()
    assert [o["slug"] for o in by_area["results"]] == [world.club.slug]
    assert client.get("/api/v1/organisations/?q=scout").json()["count"] == 1
    assert client.get(f"/api/v1/organisations/{world.unlisted.slug}/").status_code == 404


def test_agreements_have_versions_action_plans_working_group_and_the_verified_count(client, world):
    data = client.get(f"/api/v1/agreements/{world.agreement.slug}/").json()
    assert data["signatory_count"] == 3  # verified, listed or not, as the agreement page says
    assert data["versions"][0]["number"] == 1
    assert data["action_plans"][0]["actions"][0]["title"] == "Gemensam upphandling"
    assert data["working_group"][0]["name"] == "Politiker Ett"
    assert client.get("/api/v1/agreements/").json()["count"] == 1  # not the draft


def test_signatories_are_the_public_list_with_its_filters(client, world):
    url = f"/api/v1/agreements/{world.agreement.slug}/signatories/"
    data = client.get(url).json()
    assert [s["organisation"] for s in data["results"]] == ["Idrottsföreningen Härnösand", "Scouterna Sundsvall"]
    assert set(data["results"][0]) >= {"organisation", "organisation_number", "municipality", "date_signed"}
    assert client.get(url, {"year": 2019}).json()["count"] == 1
    assert client.get(url, {"signed_until": "2018-12-31"}).json()["count"] == 1
    assert client.get(url, {"municipality": world.sundsvall.pk}).json()["count"] == 1
    assert client.get(url, {"area": world.sport.pk}).json()["count"] == 1
    assert client.get(url, {"q": "idrott"}).json()["count"] == 1
    newest = client.get(url, {"ordering": "-date"}).json()["results"]
    assert newest[0]["organisation"] == "Idrottsföreningen Härnösand"


def test_growth_is_the_series_of_the_public_chart(client, world):
    points = client.get(f"/api/v1/agreements/{world.agreement.slug}/growth/").json()
    by_year = {p["year"]: p["count"] for p in points}
    assert by_year[2014] == 1 and by_year[2019] == 3


def test_the_downloads_have_the_columns_of_the_api(client, world):
    api_rows = client.get(f"/api/v1/agreements/{world.agreement.slug}/signatories/").json()["results"]
    download = client.get(reverse("agreements:signatories_json", kwargs={"slug": world.agreement.slug})).json()
    columns = ("organisation", "organisation_number", "municipality", "date_signed")
    assert download["signatories"] == [{c: row[c] for c in columns} for row in api_rows]


def test_texts_come_in_the_requested_language(client, world):
    swedish = client.get("/api/v1/meetings/").json()["results"]
    english = client.get("/api/v1/meetings/?lang=en").json()["results"]
    by_header = client.get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").json()["results"]
    digital = next(m for m in swedish if m["format"] == "digital")["format_label"]
    assert digital == "Digitalt" or digital != next(m for m in english if m["format"] == "digital")["format_label"]
    assert next(m for m in english if m["format"] == "digital")["format_label"] == "Digital"
    assert by_header == english
    response = client.get("/api/v1/meetings/?lang=en")
    assert response["Content-Language"] == "en"
    assert client.get("/api/v1/meetings/")["Content-Language"] == "sv"


def test_the_catalogue_describes_every_dataset_with_publisher_licence_frequency_and_distributions(client, world):
    import xml.etree.ElementTree as ET

    ns = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "dcat": "http://www.w3.org/ns/dcat#",
        "dcterms": "http://purl.org/dc/terms/",
    }
    response = client.get("/api/v1/dcat")
    assert response["Content-Type"].startswith("application/rdf+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    datasets = root.findall("dcat:Dataset", ns)
    assert len(datasets) >= 5
    resource = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource"
    for dataset in datasets:
        assert dataset.find("dcterms:title[@{http://www.w3.org/XML/1998/namespace}lang='sv']", ns).text
        assert dataset.find("dcterms:publisher", ns).get(resource)
        assert "frequency" in dataset.find("dcterms:accrualPeriodicity", ns).get(resource)
        assert dataset.findall("dcat:distribution", ns)
    access_urls = {e.get(resource) for e in root.iter("{http://www.w3.org/ns/dcat#}accessURL")}
    # On the primary host of the host's region (links are the region's, not the Host header's).
    csv_url = absolute_url(reverse("agreements:signatories_csv", kwargs={"slug": world.agreement.slug}))
    assert csv_url in access_urls and absolute_url("/api/v1/meetings/") in access_urls
    licences = {e.get(resource) for e in root.iter("{http://purl.org/dc/terms/}license")}
    assert licences == {"http://creativecommons.org/publicdomain/zero/1.0/"}
    assert "utkast-overenskommelse" not in response.content.decode()


def test_the_licence_is_a_setting(client, world, settings):
    settings.OPEN_DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
    assert b"creativecommons.org/licenses/by/4.0/" in client.get("/api/v1/dcat").content
    assert b"creativecommons.org/licenses/by/4.0/" in client.get("/oppna-data/").content
