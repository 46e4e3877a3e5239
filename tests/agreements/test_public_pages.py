import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from agreements.models import Agreement, Signatory
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    AreaOfActivityFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SignatoryFactory,
    WorkingGroupMemberFactory,
)

pytestmark = pytest.mark.django_db


def _url(name, agreement, **query):
    url = reverse(f"agreements:{name}", kwargs={"slug": agreement.slug})
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def test_list_shows_agreements_in_force_first_and_hides_drafts(client):
    AgreementFactory(title="Gammal överenskommelse", status=Agreement.Status.EXPIRED, adopted_on=dt.date(2020, 1, 1))
    AgreementFactory(title="Gällande överenskommelse", status=Agreement.Status.IN_FORCE, adopted_on=dt.date(2014, 1, 1))
    AgreementFactory(title="Hemligt utkast", status=Agreement.Status.DRAFT)
    content = client.get(reverse("agreements:list")).content.decode()
    assert content.index("Gällande överenskommelse") < content.index("Gammal överenskommelse")
    assert "Hemligt utkast" not in content


def test_draft_agreement_page_is_not_found(client):
    draft = AgreementFactory(status=Agreement.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_detail_shows_action_plan_actions_working_group_and_count(client, agreement):
    plan = ActionPlanFactory(agreement=agreement, title="Handlingsplan 2019–2022")
    ActionFactory(action_plan=plan, title="Vägledning om IOP")
    WorkingGroupMemberFactory(agreement=agreement, name="Charlotte Nordström", affiliation="(M)", role="ordförande")
    SignatoryFactory.create_batch(3, agreement=agreement)
    SignatoryFactory(agreement=agreement, status=Signatory.Status.PENDING, verified_at=None)
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "Handlingsplan 2019–2022" in content
    assert "Vägledning om IOP" in content
    assert "Charlotte Nordström" in content
    assert "3 organisationer har undertecknat" in content


def test_signatory_list_shows_only_verified_public_signatories(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Synlig förening")
    SignatoryFactory(agreement=agreement, organisation__name="Väntande förening", status=Signatory.Status.PENDING)
    SignatoryFactory(agreement=agreement, organisation__name="Dold förening", public=False)
    SignatoryFactory(
        agreement=agreement,
        organisation__name="Avhoppad förening",
        status=Signatory.Status.WITHDRAWN,
        withdrawn_on=dt.date(2020, 1, 1),
    )
    content = client.get(_url("signatories", agreement)).content.decode()
    assert "Synlig förening" in content
    for hidden in ("Väntande förening", "Dold förening", "Avhoppad förening"):
        assert hidden not in content
    assert "2 organisationer har undertecknat överenskommelsen." in content
    assert "1 av dem har bett att inte visas med namn." in content


def test_signatory_list_never_shows_signer_names(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Öppen förening", signed_by_name="Hemlig Person")
    response = client.get(_url("signatories", agreement))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Öppen förening" in content  # the list itself, with the organisation that signed
    assert "Hemlig Person" not in content


def test_search_by_organisation_name(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Borås Scoutkår")
    SignatoryFactory(agreement=agreement, organisation__name="Skövde Kulturförening")
    content = client.get(_url("signatories", agreement, q="scout")).content.decode()
    assert "Borås Scoutkår" in content
    assert "Skövde Kulturförening" not in content
    assert "1 organisation matchar." in content


def test_filter_by_municipality_and_area(client, agreement):
    boras, skovde = MunicipalityFactory(name="Borås"), MunicipalityFactory(name="Skövde")
    kultur = AreaOfActivityFactory(name="Kultur", slug="kultur")
    SignatoryFactory(
        agreement=agreement, organisation=OrganisationFactory(name="Borås Kultur", municipality=boras, areas=[kultur])
    )
    SignatoryFactory(agreement=agreement, organisation=OrganisationFactory(name="Borås Idrott", municipality=boras))
    SignatoryFactory(
        agreement=agreement, organisation=OrganisationFactory(name="Skövde Kultur", municipality=skovde, areas=[kultur])
    )
    content = client.get(_url("signatories", agreement, municipality=boras.pk, area=kultur.pk)).content.decode()
    assert "Borås Kultur" in content
    assert "Borås Idrott" not in content
    assert "Skövde Kultur" not in content


def test_sort_by_date_newest_first(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Äldst", signed_on=dt.date(2014, 1, 1))
    SignatoryFactory(agreement=agreement, organisation__name="Nyast", signed_on=dt.date(2019, 1, 1))
    content = client.get(_url("signatories", agreement, sort="-date")).content.decode()
    assert content.index("Nyast") < content.index("Äldst")


def test_list_is_paginated(client, agreement):
    SignatoryFactory.create_batch(55, agreement=agreement)
    response = client.get(_url("signatories", agreement, page=2))
    assert len(response.context["page_obj"].object_list) == 5
    assert "Sida 2 av 2" in response.content.decode()


def test_growth_chart_and_table_count_per_year_with_withdrawn_until_withdrawal(client, agreement):
    for year, n in {2014: 3, 2016: 2}.items():
        SignatoryFactory.create_batch(n, agreement=agreement, signed_on=dt.date(year, 6, 1))
    SignatoryFactory(
        agreement=agreement,
        signed_on=dt.date(2015, 1, 1),
        status=Signatory.Status.WITHDRAWN,
        withdrawn_on=dt.date(2017, 3, 1),
    )
    SignatoryFactory(
        agreement=agreement, signed_on=dt.date(2015, 1, 1), status=Signatory.Status.PENDING, verified_at=None
    )
    response = client.get(_url("signatories", agreement))
    growth = {p.year: p.count for p in response.context["growth"]}
    assert [growth[y] for y in (2014, 2015, 2016, 2017)] == [3, 4, 6, 5]
    content = response.content.decode()
    assert "2014: 3; 2015: 4; 2016: 6; 2017: 5" in content  # the SVG's text alternative
    assert '<th scope="row">2016</th><td>2</td><td>0</td><td>6</td>' in content  # the same numbers in the table
    assert "style=" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]


def _csv_rows(response):
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_number_and_date_and_no_personal_data(client, agreement):
    org = OrganisationFactory(
        name="Föreningen Öppen", organisation_number="802002-4280", municipality=MunicipalityFactory(name="Borås")
    )
    SignatoryFactory(
        agreement=agreement,
        organisation=org,
        signed_on=dt.date(2014, 4, 10),
        signed_by_name="Hemlig Person",
        signed_by_title="Kassör",
    )
    SignatoryFactory(agreement=agreement, status=Signatory.Status.PENDING)
    response = client.get(_url("signatories_csv", agreement))
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows == [
        ["Organisation", "Organisationsnummer", "Kommun", "Datum för underskrift"],
        ["Föreningen Öppen", "802002-4280", "Borås", "2014-04-10"],
    ]


def test_csv_follows_the_filters(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Borås Scoutkår")
    SignatoryFactory(agreement=agreement, organisation__name="Skövde Kulturförening")
    rows = _csv_rows(client.get(_url("signatories_csv", agreement, q="scout")))
    assert [r[0] for r in rows[1:]] == ["Borås Scoutkår"]


def test_json_has_agreement_title_count_and_no_personal_data(client, agreement):
    SignatoryFactory.create_batch(2, agreement=agreement, signed_by_name="Hemlig Person")
    response = client.get(_url("signatories_json", agreement))
    data = response.json()
    assert data["agreement"]["title"] == agreement.title
    assert data["count"] == 2
    assert set(data["signatories"][0]) == {"organisation", "organisation_number", "municipality", "date_signed"}
    assert "Hemlig Person" not in response.content.decode()


def _bulk_signatories(agreement, n, *, offset=0):
    from organisations.models import Organisation
    from tests.factories.organisations import valid_orgnr

    municipality = MunicipalityFactory(name="Göteborg")
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Förening {i}",
            slug=f"forening-bulk-{i}",
            organisation_number=valid_orgnr(10_000 + i),
            municipality=municipality,
            status="verified",
        )
        for i in range(offset, offset + n)
    )
    Signatory.objects.bulk_create(
        Signatory(
            agreement=agreement,
            organisation=o,
            signed_on=dt.date(2014 + i % 6, 1 + i % 12, 1),
            status="verified",
            verified_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )
        for i, o in enumerate(orgs)
    )


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        response.content_bytes = b"".join(response.streaming_content)
    return response


def test_query_count_is_the_same_for_5_and_5000_signatories(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = AgreementFactory(slug="liten"), AgreementFactory(slug="stor")
    _bulk_signatories(small, 5)
    _bulk_signatories(large, 5000, offset=5)
    for name in ("signatories", "signatories_csv", "signatories_json"):
        with CaptureQueriesContext(connection) as baseline:
            _get(client, _url(name, small))
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            response = _get(client, _url(name, large))
        assert response.status_code == 200
    assert response.json()["count"] == 5000


def test_agreement_list_query_count_does_not_grow_with_agreements(client, django_assert_max_num_queries):
    for _ in range(10):
        SignatoryFactory.create_batch(2, agreement=AgreementFactory())
    with django_assert_max_num_queries(3):
        assert client.get(reverse("agreements:list")).status_code == 200


def test_agreement_page_query_count_is_bounded(client, agreement, django_assert_max_num_queries):
    plan = ActionPlanFactory(agreement=agreement)
    ActionFactory.create_batch(10, action_plan=plan)
    WorkingGroupMemberFactory.create_batch(10, agreement=agreement)
    with django_assert_max_num_queries(8):
        assert client.get(agreement.get_absolute_url()).status_code == 200


def test_csv_neutralises_spreadsheet_formulas_in_names(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name='=HYPERLINK("http://example.com")')
    rows = _csv_rows(client.get(_url("signatories_csv", agreement)))
    assert rows[1][0].startswith("'=")
