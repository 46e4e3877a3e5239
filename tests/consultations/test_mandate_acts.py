"""Submitting the organisation's answer needs a verified mandate in force (issue 23); writing the draft
needs the representation alone. In the service and in the view; the e-ID step-up is asked before the
act; the submitted answer records the mandate and how the person was authenticated."""

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse

from consultations import services
from consultations.models import Answer
from organisations.models import Mandate
from tests.factories import MandateFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(consultation, organisation):
    return reverse("consultations:answer", args=[consultation.slug]) + f"?organisation={organisation.pk}"


def _data(consultation, organisation, action="submit", comment="Vår hållning"):
    data = {"action": action, "organisation": organisation.pk, "understands_public": "on"}
    for section in consultation.sections.all():
        data[f"position_{section.pk}"] = "agree"
        data[f"comment_{section.pk}"] = comment
    return data


@pytest.fixture
def unmandated(organisation):
    user = UserFactory(email="utan.mandat@example.se", full_name="Ulla Utan")
    link = organisation.representative_links.create(user=user)
    return user, link


def _draft(consultation, organisation, user):
    positions = {s.pk: ("agree", "") for s in consultation.sections.all()}
    return services.answer_save(consultation=consultation, organisation=organisation, user=user, positions=positions)


@pytest.mark.parametrize(
    "mandate",
    [None, {"status": Mandate.Status.REVOKED}, {"kind": Mandate.Kind.CONTACT}],
    ids=["none", "revoked", "contact"],
)
def test_a_representative_without_a_mandate_drafts_but_cannot_submit(
    clock, consultation, organisation, unmandated, mandate
):
    user, link = unmandated
    if mandate is not None:
        MandateFactory(representative=link, **mandate)
    answer = _draft(consultation, organisation, user)
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(answer=answer, user=user)
    assert refused.value.code == "no_mandate"
    assert Answer.objects.get().state == Answer.State.DRAFT


def test_the_submitted_answer_records_the_mandate_and_the_authentication(
    clock, consultation, organisation, representative
):
    answer = _draft(consultation, organisation, representative)
    services.answer_submit(
        answer=answer, user=representative, authentication={"method": "eid", "level": "loa3", "at": clock.now}
    )
    answer.refresh_from_db()
    assert answer.mandate == Mandate.objects.get(representative__user=representative)
    assert (answer.auth_method, answer.auth_level, answer.authenticated_at) == ("eid", "loa3", clock.now)


def test_the_form_says_a_mandate_is_needed_to_submit_and_offers_no_submit(
    client, clock, consultation, organisation, unmandated
):
    user, _link = unmandated
    client.force_login(user)
    response = client.get(_url(consultation, organisation))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="mandate-needed"' in content
    assert reverse("organisations:mandate_request", args=[organisation.slug]) in content
    assert 'value="submit"' not in content and 'value="save"' in content


def test_a_submit_without_a_mandate_is_refused_and_nothing_is_done(
    client, clock, consultation, organisation, unmandated
):
    user, _link = unmandated
    client.force_login(user)
    response = client.post(_url(consultation, organisation), _data(consultation, organisation))
    assert response.status_code == 403
    content = response.content.decode()
    assert "error-summary" in content and "Vår hållning" in content  # what was typed is shown again
    assert not Answer.objects.exists()


def test_the_step_up_comes_first_and_nothing_is_submitted(
    client, clock, monkeypatch, consultation, organisation, representative
):
    seen = []

    def stepup(request, region):
        seen.append(request.POST.get("general_comment", "") + request.POST.get("action"))
        return HttpResponseRedirect("/konto/oidc/login/")

    monkeypatch.setattr("accounts.assurance.stepup_required", stepup)
    client.force_login(representative)
    response = client.post(_url(consultation, organisation), _data(consultation, organisation))
    assert response.status_code == 302 and response["Location"] == "/konto/oidc/login/"
    assert seen == ["submit"]
    assert not Answer.objects.exists()  # not even the draft: the step-up replays the whole POST


def test_saving_a_draft_asks_no_step_up(client, clock, monkeypatch, consultation, organisation, representative):
    monkeypatch.setattr(
        "accounts.assurance.stepup_required", lambda request, region: HttpResponseRedirect("/konto/oidc/login/")
    )
    client.force_login(representative)
    response = client.post(_url(consultation, organisation), _data(consultation, organisation, action="save"))
    assert response.status_code == 302 and "oidc" not in response["Location"]
    assert Answer.objects.get().state == Answer.State.DRAFT


def test_the_admin_shows_the_answer_with_its_mandate(
    clock, client, coordinator, consultation, organisation, representative
):
    client.force_login(coordinator)  # at the tests' clock (a session from the wall clock would have expired)
    answer = _draft(consultation, organisation, representative)
    answer = services.answer_submit(
        answer=answer, user=representative, authentication={"method": "password", "level": "", "at": clock.now}
    )
    content = client.get(reverse("admin:consultations_answer_change", args=[answer.pk])).content.decode()
    assert "mandat som användes" in content.lower() and "inloggad med" in content.lower()
    assert reverse("admin:organisations_mandate_change", args=[answer.mandate.pk]) in content
