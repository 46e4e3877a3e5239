"""Signing the agreement needs a verified mandate in force (issue 23): in the service, whatever the path,
and in the views (the clear page instead of the form); the e-ID step-up is asked before the act; the
signature records the mandate and how the signer was authenticated."""

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation

from agreements import services
from agreements.models import Signatory
from organisations.models import Mandate
from tests.factories import MandateFactory, OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(organisation, **extra):
    return {
        "organisation": organisation.pk,
        "signed_by_name": "Anna Ordförande",
        "signed_by_title": "Ordförande",
        "confirms_authority": "on",
        "public": "on",
        **extra,
    }


def _sign(agreement, organisation, user, **extra):
    return services.signatory_request(
        agreement=agreement,
        organisation=organisation,
        user=user,
        signed_by_name="Anna Ordförande",
        signed_by_title="Ordförande",
        confirms_authority=True,
        **extra,
    )


@pytest.fixture
def unmandated(db):
    """A representative of a verified organisation who holds no mandate."""
    user = UserFactory(email="utan.mandat@example.se", full_name="Ulla Utan")
    link = RepresentativeFactory(user=user, organisation=OrganisationFactory(name="Föreningen Utan"))
    return user, link


@pytest.mark.parametrize(
    "mandate",
    [
        None,
        {"status": Mandate.Status.REQUESTED, "verified_at": None},
        {"status": Mandate.Status.REVOKED},
        {"status": Mandate.Status.REFUSED},
        {"valid_from": dt.date(2020, 1, 1), "valid_to": dt.date(2020, 12, 31)},
        {"kind": Mandate.Kind.CONTACT},
    ],
    ids=["none", "waiting", "revoked", "refused", "expired", "contact"],
)
def test_the_service_refuses_a_representative_without_a_mandate_in_force(agreement, unmandated, mandate):
    user, link = unmandated
    if mandate is not None:
        MandateFactory(representative=link, **mandate)
    with pytest.raises(ValidationError) as refused:
        _sign(agreement, link.organisation, user)
    assert refused.value.code == "no_mandate"
    assert not Signatory.objects.exists()


def test_a_mandate_of_organisation_a_never_counts_for_b(agreement, unmandated):
    user, link_b = unmandated
    MandateFactory(representative=RepresentativeFactory(user=user, organisation=OrganisationFactory(name="A")))
    with pytest.raises(ValidationError):
        _sign(agreement, link_b.organisation, user)
    assert not Signatory.objects.exists()


def test_the_signature_records_the_mandate_and_the_authentication(agreement, organisation, representative):
    at = timezone.now().replace(microsecond=0)
    signatory = _sign(
        agreement, organisation, representative, authentication={"method": "eid", "level": "loa3", "at": at}
    )
    signatory.refresh_from_db()
    assert signatory.mandate == Mandate.objects.get(representative__user=representative)
    assert (signatory.auth_method, signatory.auth_level, signatory.authenticated_at) == ("eid", "loa3", at)


def test_the_page_says_a_mandate_is_needed_with_a_link_to_ask_for_one(client, agreement, unmandated):
    user, link = unmandated
    client.force_login(user)
    response = client.get(reverse("agreements:sign", args=[agreement.slug]))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Du behöver ett mandat" in content
    assert reverse("organisations:mandate_request", args=[link.organisation.slug]) in content
    assert 'name="signed_by_name"' not in content
    client.cookies["django_language"] = "en"
    try:
        content = client.get(reverse("agreements:sign", args=[agreement.slug])).content.decode()
    finally:
        translation.activate("sv")
    assert "You need a mandate" in content and "Ask for a mandate for Föreningen Utan" in content


def test_a_post_without_a_mandate_is_refused_and_nothing_is_done(client, agreement, unmandated):
    user, link = unmandated
    client.force_login(user)
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), _form(link.organisation))
    assert response.status_code == 403
    assert not Signatory.objects.exists()


def test_a_waiting_request_is_named_on_the_page(client, agreement, unmandated):
    user, link = unmandated
    MandateFactory(representative=link, status=Mandate.Status.REQUESTED, verified_at=None)
    client.force_login(user)
    content = client.get(reverse("agreements:sign", args=[agreement.slug])).content.decode()
    assert "din begäran om mandat väntar på en samordnare" in content


def test_the_step_up_comes_first_and_nothing_is_signed(client, monkeypatch, agreement, organisation, representative):
    calls = []

    def stepup(request, region):
        calls.append(request.POST.get("signed_by_name"))
        return HttpResponseRedirect("/konto/oidc/login/?next=" + request.path)

    monkeypatch.setattr("accounts.assurance.stepup_required", stepup)
    client.force_login(representative)
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), _form(organisation))
    assert response.status_code == 302 and response["Location"].startswith("/konto/oidc/login/")
    assert calls == ["Anna Ordförande"]  # called with the form's data, which the step-up keeps
    assert not Signatory.objects.exists()


def test_the_view_records_how_the_session_was_authenticated(client, agreement, organisation, representative):
    client.force_login(representative)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session.save()
    client.post(reverse("agreements:sign", args=[agreement.slug]), _form(organisation))
    signatory = Signatory.objects.get()
    assert signatory.auth_method == "password"
    assert signatory.authenticated_at is not None
    assert signatory.mandate is not None


def test_the_admin_shows_the_mandate_and_the_authentication(
    coordinator_client, agreement, organisation, representative
):
    signatory = _sign(
        agreement, organisation, representative, authentication={"method": "password", "level": "", "at": None}
    )
    content = coordinator_client.get(reverse("admin:agreements_signatory_change", args=[signatory.pk])).content.decode()
    assert "Mandat och inloggning" in content
    assert reverse("admin:organisations_mandate_change", args=[signatory.mandate.pk]) in content
    assert "lösenord" in content
