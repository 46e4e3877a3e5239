"""A representative asks for a mandate on Mina sidor, sees it and what it allows, and may withdraw a request."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Mandate
from tests.factories import MandateFactory, OrganisationFactory, RepresentativeFactory, UserFactory
from tests.samples import HTML, PDF, PNG, upload

pytestmark = pytest.mark.django_db

FORMAT_SV = "Filen måste vara en PDF. Spara dokumentet som PDF och ladda upp den filen."


@pytest.fixture
def link(media_root):
    return RepresentativeFactory(organisation=OrganisationFactory(name="Föreningen Linden", slug="linden"))


@pytest.fixture
def rep_client(client, link):
    client.force_login(link.user)
    return client


def _url(organisation):
    return reverse("organisations:mandate_request", args=[organisation.slug])


def _data(**overrides):
    valid_to = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    data = {"kind": "board", "valid_to": valid_to, "message": "Vald på årsmötet i mars."}
    data.update(overrides)
    data.setdefault("evidence", upload("protokoll.pdf", PDF))
    return data


def test_a_representative_asks_for_a_mandate_with_the_minutes(rep_client, link):
    response = rep_client.post(_url(link.organisation), _data())
    assert response.status_code == 302 and response["Location"] == reverse("accounts:mypages")
    mandate = Mandate.objects.get()
    assert (mandate.representative, mandate.kind, mandate.status) == (link, "board", "requested")
    assert mandate.message == "Vald på årsmötet i mars."
    assert mandate.evidence.name.endswith(".pdf") and "protokoll" not in mandate.evidence.name
    page = rep_client.get(reverse("accounts:mypages")).content.decode()
    assert "Din begäran om mandat för Föreningen Linden har skickats." in page
    assert "Din begäran om mandat väntar på samordnarna." in page
    assert "Utsedd av styrelsen: <strong>begärt</strong>" in page


@pytest.mark.parametrize(
    ("name", "content"), [("protokoll.pdf", HTML), ("protokoll.png", PNG), ("protokoll.docx", b"PK\x03\x04x")]
)
def test_a_file_that_is_not_a_pdf_is_refused_and_the_rest_is_kept(rep_client, link, name, content):
    response = rep_client.post(_url(link.organisation), _data(evidence=upload(name, content, "application/pdf")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Något behöver rättas" in html  # the error summary
    assert FORMAT_SV in html
    assert "Vald på årsmötet i mars." in html  # what was typed is kept
    assert re.search(r'value="board"[^>]*checked', html)
    assert not Mandate.objects.exists()


def test_a_last_day_in_the_past_is_refused(rep_client, link):
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = rep_client.post(_url(link.organisation), _data(valid_to=yesterday))
    assert response.status_code == 400
    assert "Sista dagen måste vara i dag eller senare." in response.content.decode()
    assert not Mandate.objects.exists()


def test_a_second_request_while_one_waits_is_refused_with_a_message(rep_client, link):
    rep_client.post(_url(link.organisation), _data())
    response = rep_client.post(_url(link.organisation), _data())
    assert response.status_code == 400
    assert "En begäran om mandat väntar redan på samordnarna." in response.content.decode()
    assert Mandate.objects.count() == 1


def test_the_page_and_its_errors_are_in_english_too(rep_client, link):
    rep_client.cookies["django_language"] = "en"
    assert "Ask for a mandate for Föreningen Linden" in rep_client.get(_url(link.organisation)).content.decode()
    html = rep_client.post(_url(link.organisation), _data(evidence=upload("x.pdf", HTML))).content.decode()
    assert "There is a problem" in html
    assert "The file must be a PDF." in html


def test_someone_who_does_not_represent_the_organisation_gets_403_and_an_unknown_one_404(client, link):
    client.force_login(UserFactory())
    assert client.get(_url(link.organisation)).status_code == 403
    assert client.post(_url(link.organisation), _data()).status_code == 403
    hidden = OrganisationFactory(public_listing=False)
    assert client.get(_url(hidden)).status_code == 404
    assert client.get(reverse("organisations:mandate_request", args=["finns-inte"])).status_code == 404
    assert not Mandate.objects.exists()


def test_an_anonymous_visitor_is_asked_to_log_in(client, link):
    response = client.get(_url(link.organisation))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_holder_withdraws_a_waiting_request_and_nobody_else_can(client, rep_client, link):
    mandate = MandateFactory(representative=link, status=Mandate.Status.REQUESTED)
    url = reverse("organisations:mandate_withdraw", args=[mandate.pk])
    assert rep_client.get(url).status_code == 405
    other = UserFactory()
    client.force_login(other)
    assert client.post(url).status_code == 404
    client.force_login(link.user)
    response = client.post(url, follow=True)
    assert "Din begäran om mandat har tagits tillbaka." in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.WITHDRAWN


def test_a_decided_mandate_cannot_be_withdrawn_by_its_holder(rep_client, link):
    mandate = MandateFactory(representative=link)
    response = rep_client.post(reverse("organisations:mandate_withdraw", args=[mandate.pk]), follow=True)
    assert "Bara en begäran som fortfarande väntar kan tas tillbaka." in response.content.decode()
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.VERIFIED


def test_the_evidence_is_served_to_its_holder_and_coordinators_only(client, link, coordinator):
    mandate = MandateFactory(representative=link, evidence=upload("protokoll.pdf", PDF))
    url = reverse("organisations:mandate_evidence", args=[mandate.pk])
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(RepresentativeFactory(organisation=link.organisation).user)  # a fellow representative
    assert client.get(url).status_code == 404
    client.force_login(link.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


# --- Mina sidor: what the person may do -------------------------------------------------------------------


def test_mypages_says_what_a_representative_without_a_mandate_may_and_may_not_do(rep_client, link):
    html = rep_client.get(reverse("accounts:mypages")).content.decode()
    assert "Du kan lyfta utmaningar för Föreningen Linden." in html
    assert "Du kan anmäla dig till möten för Föreningen Linden." in html
    assert "För att skriva under överenskommelsen för Föreningen Linden behöver du ett verifierat mandat" in html
    assert "Du kan skriva under överenskommelsen" not in html
    assert _url(link.organisation) in html  # the way to ask


def test_mypages_shows_what_a_verified_mandate_allows(rep_client, link):
    MandateFactory(representative=link, kind=Mandate.Kind.SIGNATORY)
    html = rep_client.get(reverse("accounts:mypages")).content.decode()
    assert "Du kan skriva under överenskommelsen för Föreningen Linden." in html
    assert "Du kan lägga organisationens röst för Föreningen Linden." in html
    assert "Du kan lämna organisationens remissvar för Föreningen Linden." in html
    assert "behöver du ett verifierat mandat" not in html
    assert "Firmatecknare: <strong>verifierat</strong>" in html


def test_mypages_shows_an_expired_mandate_as_expired_and_allowing_nothing(rep_client, link):
    MandateFactory(
        representative=link,
        valid_from=timezone.localdate() - dt.timedelta(days=400),
        valid_to=timezone.localdate() - dt.timedelta(days=1),
    )
    html = rep_client.get(reverse("accounts:mypages")).content.decode()
    assert "<strong>utgånget</strong>" in html
    assert "Du kan skriva under överenskommelsen" not in html


def test_mypages_asks_no_more_queries_for_more_organisations_and_mandates(rep_client, link):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    MandateFactory(representative=link)
    rep_client.get(reverse("accounts:mypages"))  # warm up sessions and caches
    with CaptureQueriesContext(connection) as one:
        rep_client.get(reverse("accounts:mypages"))
    for _ in range(4):
        other = RepresentativeFactory(user=link.user)
        MandateFactory(representative=other)
        MandateFactory(representative=other, status=Mandate.Status.REFUSED, refusal_reason="Fel protokoll.")
    with CaptureQueriesContext(connection) as five:
        response = rep_client.get(reverse("accounts:mypages"))
    assert response.content.decode().count("Du kan skriva under överenskommelsen") == 5
    assert len(five) == len(one)
