"""The API per host: every list, the DCAT-AP-SE catalogue, the OpenAPI schema and the documentation page
answer for the host's region only; another region's objects, named in a URL or a filter, are a 404, a 400
or nothing, never that region's data."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from agreements.models import Signatory
from core.links import absolute_url
from core.regions import region_scope
from elections.models import Nomination
from tests.elections.conftest import make_round
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SignatoryFactory,
    WorkingGroupMemberFactory,
)

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
NS = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
# What only region B has: none of it may appear on region A's host.
B_ONLY = ["Hallands överenskommelse", "Hallands handlingsplan", "Hanna Halländsk", "Val i Halland", "Kandidat Syd"]


@pytest.fixture
def regions(settings, region, other_region):
    settings.SITE_URL = "https://127.0.0.1:8443"
    ours = AgreementFactory(title="Västernorrlands överenskommelse", slug="ostra")
    SignatoryFactory(agreement=ours, organisation=OrganisationFactory(name="Förening Norr"))
    with region_scope(other_region):
        theirs = AgreementFactory(title="Hallands överenskommelse", slug="vastra")
        organisation = OrganisationFactory(name="Förening Syd", municipality=MunicipalityFactory(name="Halmstad"))
        SignatoryFactory(agreement=theirs, organisation=organisation, status=Signatory.Status.VERIFIED)
        ActionPlanFactory(agreement=theirs, title="Hallands handlingsplan")
        WorkingGroupMemberFactory(agreement=theirs, name="Hanna Halländsk")
        selection_round = make_round(theirs, status="voting", phase="voting", title="Val i Halland", slug="val-halland")
        Nomination.objects.create(
            round=selection_round,
            nominating_organisation=organisation,
            candidate_organisation=organisation,
            candidate_name="Kandidat Syd",
            candidate_email="k@syd.example.se",
            presentation="P",
            status=Nomination.Status.ACCEPTED,
        )
    return ours, theirs, organisation


def _text(response) -> str:
    return b"".join(response).decode("utf-8-sig") if response.streaming else response.content.decode()


def test_no_list_endpoint_shows_another_regions_objects(client, regions):
    index = client.get("/api/v1/").json()
    assert index["endpoints"]
    for url in index["endpoints"].values():
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [name for name in B_ONLY if name in text], url
    # The same lists on B's host do show B's objects (the sweep above could see them).
    theirs = client.get("/api/v1/agreements/", HTTP_HOST=B_HOST).content.decode()
    assert "Hallands handlingsplan" in theirs and "Hanna Halländsk" in theirs
    assert "Kandidat Syd" in client.get("/api/v1/selection-rounds/", HTTP_HOST=B_HOST).content.decode()


def test_a_url_or_filter_naming_another_regions_objects_gives_nothing_of_them(client, regions):
    _ours, theirs, organisation = regions
    assert client.get(f"/api/v1/agreements/{theirs.slug}/").status_code == 404
    assert client.get("/api/v1/selection-rounds/val-halland/").status_code == 404
    response = client.get("/api/v1/agreements/ostra/signatories/", {"municipality": organisation.municipality_id})
    assert response.status_code == 400 or response.json()["results"] == []
    assert "Förening Syd" not in response.content.decode()


def test_the_catalogue_names_the_hosts_region_as_publisher_and_links_on_its_host(client, regions, other_region):
    ours = ET.fromstring(client.get("/api/v1/dcat").content)  # noqa: S314 - our own response
    theirs = ET.fromstring(client.get("/api/v1/dcat", HTTP_HOST=B_HOST).content)  # noqa: S314
    for root, name, email, site in (
        (ours, "Region Västernorrland", None, "https://127.0.0.1:8443"),
        (theirs, "Region Halland", "kontakt@halland.example.se", "https://halland.testserver:8443"),
    ):
        assert root.find("dcat:Catalog", NS).get(f"{RDF}about") == f"{site}/api/v1/dcat"
        assert root.find("foaf:Agent/foaf:name", NS).text == name
        datasets = root.findall("dcat:Dataset", NS)
        assert datasets
        for dataset in datasets:
            assert dataset.find("dcat:contactPoint/vcard:Organization/vcard:fn", NS).text == name
            if email:
                mail = dataset.find("dcat:contactPoint/vcard:Organization/vcard:hasEmail", NS).get(f"{RDF}resource")
                assert mail == f"mailto:{email}"
        urls = [e.get(f"{RDF}resource") for e in root.iter() if (e.get(f"{RDF}resource") or "").startswith("http")]
        urls += [e.get(f"{RDF}about") for e in root.iter() if (e.get(f"{RDF}about") or "").startswith("http")]
        own = [u for u in urls if "127.0.0.1" in u or "testserver" in u]
        assert own and all(u.startswith(site + "/") for u in own)
    text = client.get("/api/v1/dcat").content.decode()
    assert "vastra" not in text and "Hallands" not in text
    assert "/overenskommelser/vastra/undertecknare.csv" in client.get("/api/v1/dcat", HTTP_HOST=B_HOST).content.decode()


def test_the_schemas_servers_is_the_hosts_region_also_when_cached(client, regions):
    for _ in range(2):  # the second time from the process's cache
        ours = client.get(reverse("api:schema"), {"format": "json"}).json()
        theirs = client.get(reverse("api:schema"), {"format": "json"}, HTTP_HOST=B_HOST).json()
        assert ours["servers"] == [{"url": absolute_url("/").rstrip("/")}] == [{"url": "https://127.0.0.1:8443"}]
        assert theirs["servers"] == [{"url": "https://halland.testserver:8443"}]


def test_the_documentation_page_lists_the_hosts_downloads_only(client, regions):
    ours = client.get(reverse("opendata:documentation")).content.decode()
    theirs = client.get(reverse("opendata:documentation"), HTTP_HOST=B_HOST).content.decode()
    assert "Västernorrlands överenskommelse" in ours and "Hallands överenskommelse" not in ours
    assert "Hallands överenskommelse" in theirs and "Västernorrlands överenskommelse" not in theirs


def _regional_filters():
    """(list URL pattern, parameter, model) of every model filter of every endpoint whose model is regional."""
    import django_filters

    from api.registry import api
    from core.models import RegionalModel

    found = []
    for prefix, viewset, basename in api.router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for parameter, field in filterset.base_filters.items() if filterset else ():
            if not isinstance(field, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                continue
            model = filterset._meta.model
            for part in field.field_name.split("__"):
                model = model._meta.get_field(part).related_model
            if issubclass(model, RegionalModel):
                found.append((prefix, basename, parameter, model))
    return found


def test_every_model_filter_naming_another_regions_object_gives_a_400_or_nothing(client, regions, other_region):
    """Registry-wide: whichever app's endpoint filters by a regional model, an id of region B on region A's
    host selects nothing of B (a 400 "not a valid choice", or no result). It covers every filter whose model
    is regional (``RegionalModel``) and has a row in region B here: the organisations, meetings,
    consultations and challenges filters once those models are regional."""
    ours = regions[0]
    for prefix, basename, parameter, model in _regional_filters():
        with region_scope(other_region):
            theirs = model.objects.order_by("pk").first()
        if theirs is None:
            continue
        kwargs = {"agreement_slug": ours.slug} if "agreement_slug" in prefix else {}
        response = client.get(reverse(f"api:{basename}-list", kwargs=kwargs), {parameter: theirs.pk})
        assert response.status_code == 400 or response.json()["results"] == [], (basename, parameter)
