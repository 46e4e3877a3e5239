"""The open data page starts with a box for people who want a spreadsheet (issue 26)."""

import re

import pytest

from agreements.models import Agreement
from tests.factories import AgreementFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(db):
    agreement = AgreementFactory(title="Överenskommelsen", slug="overenskommelsen")
    SignatoryFactory(agreement=agreement, organisation__name="Scouterna")
    AgreementFactory(title="Utkastet", slug="utkastet", status=Agreement.Status.DRAFT)
    return agreement


def _box(content: str) -> str:
    start = content.index('class="card card-accent my-4 spreadsheet-box"')
    return content[start : content.index("</aside>", start)]


def test_the_box_comes_before_the_developers_part(client, agreements):
    content = client.get("/oppna-data/").content.decode()
    assert "Vill du ha uppgifterna i ett kalkylark?" in content
    assert content.index("spreadsheet-box") < content.index('id="licence"') < content.index('id="start"')


def test_the_box_links_the_spreadsheet_downloads_and_each_opens(client, agreements):
    box = _box(client.get("/oppna-data/").content.decode())
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', box)
    titles = [title for _url, title in links]
    assert titles == ["Överenskommelsen (Excel, XLSX)", "Överenskommelsen (CSV, Excel)", "Överenskommelsen (CSV)"]
    assert "Utkastet" not in box and "JSON" not in box and "/api/" not in box
    for url, _title in links:
        response = client.get(url.replace("http://testserver", ""))
        assert response.status_code == 200, url
        content = b"".join(response)
        assert content.startswith(b"PK") or "Scouterna" in content.decode("utf-8-sig")


def test_the_box_in_english(client, agreements):
    client.cookies["django_language"] = "en"
    content = client.get("/oppna-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Want the data in a spreadsheet?" in content
    assert "No programming needed." in content


def test_no_box_without_downloads(client):
    assert "spreadsheet-box" not in client.get("/oppna-data/").content.decode()


def test_the_catalogue_names_the_xlsx_distribution(client, agreements):
    rdf = client.get("/api/v1/dcat").content.decode()
    assert "undertecknare.xlsx" in rdf
    assert "file-type/XLSX" in rdf
