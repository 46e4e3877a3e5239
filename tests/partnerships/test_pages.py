"""The public pages and the application form (plain HTML posts, no JavaScript)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.money import sek
from partnerships.models import Application, ApplicationAttachment
from tests.factories import AreaOfActivityFactory, ChallengeFactory, OrganisationFactory
from tests.factories.partnerships import NOW, ApplicationFactory, DecisionFactory, GrantCallFactory, PartnershipFactory
from tests.samples import PDF

pytestmark = pytest.mark.django_db


def _form(call, **overrides):
    question = call.questions.first()
    data = {
        "title": "Läxhjälp för nyanlända",
        "description": "Läxhjälp två kvällar i veckan.",
        f"question_{question.pk}": "Ungefär trettio barn.",
        "item_0": "Lokalhyra",
        "amount_0": "20000",
        "item_1": "Material",
        "amount_1": "10000",
        "amount_requested": "30000",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_call_list_shows_open_calls_but_no_draft(client, call):
    GrantCallFactory(title="HEMLIG utlysning", status="draft")
    response = client.get(reverse("grants:list"))
    assert "Stöd till ideella organisationer 2030" in response.text
    assert "HEMLIG" not in response.text


def test_a_draft_call_is_404(client):
    draft = GrantCallFactory(status="draft")
    assert client.get(reverse("grants:call", args=[draft.slug])).status_code == 404


def test_the_call_page_shows_criteria_and_the_apply_link(client, call, clock):
    response = client.get(reverse("grants:call", args=[call.slug]))
    assert "Nytta för folkhälsan" in response.text
    assert reverse("grants:apply", args=[call.slug]) in response.text


def test_saving_a_draft_keeps_everything_and_says_so(client, call, representative, organisation, clock):
    client.force_login(representative)
    url = reverse("grants:apply", args=[call.slug])
    response = client.post(url, _form(call), follow=True)
    assert response.status_code == 200
    application = Application.objects.get()
    assert application.status == "draft" and application.organisation == organisation
    assert "Lokalhyra" in response.text and "Ungefär trettio barn." in response.text


def test_a_budget_row_without_amount_shows_the_error_summary_and_keeps_input(client, call, representative, clock):
    client.force_login(representative)
    response = client.post(reverse("grants:apply", args=[call.slug]), _form(call, item_2="Resor", amount_2=""))
    assert response.status_code == 400
    assert 'id="error-summary"' in response.text
    assert "Resor" in response.text and "Läxhjälp två kvällar i veckan." in response.text
    assert not Application.objects.exists()


def test_submit_without_javascript_then_the_page_is_read_only(client, call, representative, clock):
    client.force_login(representative)
    url = reverse("grants:apply", args=[call.slug])
    response = client.post(url, _form(call, action="submit"), follow=True)
    assert Application.objects.get().status == "submitted"
    assert 'id="application-status"' in response.text
    again = client.post(url, _form(call, title="Ändrad"))
    assert again.status_code == 409
    assert Application.objects.get().title == "Läxhjälp för nyanlända"


def test_a_budget_that_does_not_add_up_saves_the_draft_and_tells_why(client, call, representative, clock):
    client.force_login(representative)
    response = client.post(
        reverse("grants:apply", args=[call.slug]), _form(call, amount_requested="31000", action="submit")
    )
    assert response.status_code == 400
    assert "The budget does not add up" in response.text or "Budgeten går inte ihop" in response.text
    assert Application.objects.get().status == "draft"


def test_without_a_mandate_the_draft_is_saved_but_not_submitted(client, call, unmandated, clock):
    client.force_login(unmandated)
    url = reverse("grants:apply", args=[call.slug])
    page = client.get(url)
    assert 'id="mandate-needed"' in page.text and 'value="submit"' not in page.text
    response = client.post(url, _form(call, action="submit"))
    assert response.status_code == 403
    assert Application.objects.get().status == "draft"


def test_a_visitor_who_represents_nobody_gets_403(client, call, clock):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("grants:apply", args=[call.slug])).status_code == 403


def test_another_organisations_id_is_never_taken(client, call, representative, other_organisation, clock):
    client.force_login(representative)
    url = reverse("grants:apply", args=[call.slug]) + f"?organisation={other_organisation.pk}"
    response = client.post(url, {**_form(call), "organisation": other_organisation.pk})
    assert response.status_code == 200
    assert "Which organisation" in response.text or "Vilken organisation" in response.text
    assert not Application.objects.filter(organisation=other_organisation).exists()


def test_after_the_deadline_the_form_is_closed(client, call, representative, clock):
    clock.set(call.closes_at + dt.timedelta(seconds=1))
    client.force_login(representative)
    url = reverse("grants:apply", args=[call.slug])
    assert 'name="action"' not in client.get(url).text
    assert client.post(url, _form(call)).status_code == 403
    assert not Application.objects.exists()


def test_an_attachment_is_checked_kept_private_and_served_to_the_organisation(
    client, call, representative, other_representative, clock
):
    client.force_login(representative)
    upload = SimpleUploadedFile("beslut.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("grants:apply", args=[call.slug]),
        {**_form(call), "attachment": upload, "attachment_title": "Styrelsebeslut"},
    )
    attachment = ApplicationAttachment.objects.get()
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.force_login(other_representative)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_file_that_is_not_a_document_is_refused_with_a_message(client, call, representative, clock):
    client.force_login(representative)
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00not a document", content_type="application/pdf")
    response = client.post(reverse("grants:apply", args=[call.slug]), {**_form(call), "attachment": upload})
    assert response.status_code == 400 and 'id="error-summary"' in response.text
    assert not ApplicationAttachment.objects.exists()


@pytest.fixture
def grants(db):
    health = AreaOfActivityFactory(name="Folkhälsa", slug="folkhalsa")
    culture = AreaOfActivityFactory(name="Kultur", slug="kultur")
    call_2029 = GrantCallFactory(area=health)
    call_2030 = GrantCallFactory(area=culture)
    rows = []
    for n in range(6):
        call = call_2029 if n % 2 else call_2030
        decided = NOW - dt.timedelta(days=400) if n % 2 else NOW
        application = ApplicationFactory(
            call=call, organisation=OrganisationFactory(), status="granted", submitted_at=decided
        )
        rows.append(DecisionFactory(application=application, amount=10_000 + n, decided_at=decided))
    refused = ApplicationFactory(call=call_2030, title="HEMLIG avslagen", status="refused", submitted_at=NOW)
    DecisionFactory(application=refused, outcome="refused", amount=None, reason="Nej", decided_at=NOW)
    prepared = ApplicationFactory(call=call_2030, title="HEMLIG ej meddelad", status="assessed", submitted_at=NOW)
    DecisionFactory(application=prepared, amount=5_000, decided_at=None)
    return rows


def test_the_grant_list_shows_announced_grants_with_totals_and_no_person(client, grants, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("grants:grants"))
    assert response.status_code == 200
    assert "HEMLIG" not in response.text
    assert "6 grants" in response.text or "6 bidrag" in response.text
    assert sek(sum(g.amount for g in grants)) in response.text


def test_the_grant_list_filters_by_year_and_area(client, grants):
    response = client.get(reverse("grants:grants"), {"ar": "2030", "omrade": "kultur"})
    assert "3 grants" in response.text or "3 bidrag" in response.text
    response = client.get(reverse("grants:grants"), {"ar": "nonsense", "omrade": "finns-inte"})
    assert response.status_code == 200


def test_partnership_pages_show_in_force_but_not_prepared(client):
    partner = OrganisationFactory(name="Ukrainahjälpen")
    shown = PartnershipFactory(title="Flyktingmottagandet 2022", partners=[partner])
    hidden = PartnershipFactory(title="HEMLIG IOP", status="preparing")
    page = client.get(reverse("partnerships:list"))
    assert "Flyktingmottagandet 2022" in page.text and "HEMLIG" not in page.text
    detail = client.get(shown.get_absolute_url())
    assert "Ukrainahjälpen" in detail.text
    assert client.get(reverse("partnerships:detail", args=[hidden.slug])).status_code == 404


def test_the_challenge_page_shows_its_partnerships_and_grants(client):
    challenge = ChallengeFactory(slug="ukraina", title="Ukraina")
    PartnershipFactory(title="Flyktingmottagandet 2022").challenges.add(challenge)
    call = GrantCallFactory()
    call.challenges.add(challenge)
    application = ApplicationFactory(call=call, title="Språkcafé", status="granted", submitted_at=NOW)
    DecisionFactory(application=application, amount=12_345)
    response = client.get(challenge.get_absolute_url())
    assert "Flyktingmottagandet 2022" in response.text and "12\u00a0345\u00a0kr" in response.text


def test_the_organisation_page_shows_what_it_received(client):
    organisation = OrganisationFactory(slug="mottagaren")
    application = ApplicationFactory(organisation=organisation, title="Läger", status="granted", submitted_at=NOW)
    DecisionFactory(application=application, amount=7_777)
    response = client.get(reverse("organisations:detail", args=[organisation.slug]))
    assert "7\u00a0777\u00a0kr" in response.text


def test_mina_sidor_lists_the_representatives_applications(client, call, representative, organisation):
    ApplicationFactory(call=call, organisation=organisation, title="Vår ansökan")
    client.force_login(representative)
    response = client.get(reverse("accounts:mypages"))
    assert "Vår ansökan" in response.text


def test_the_api_lists_announced_grants_only(client, grants):
    response = client.get("/api/v1/grants/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6 if "count" in body else len(body) == 6
    assert "HEMLIG" not in response.text and "reason" not in response.text


def test_the_api_lists_calls_and_partnerships(client, call):
    PartnershipFactory(title="IOP i API:t")
    assert call.slug in client.get("/api/v1/grant-calls/").text
    assert "IOP i API:t" in client.get("/api/v1/partnerships/").text
    dcat = client.get(reverse("api:dcat")).text
    assert "/api/v1/grants/" in dcat and "/api/v1/partnerships/" in dcat
