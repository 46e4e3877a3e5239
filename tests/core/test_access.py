"""The draft gate (core.access): what is not public is 404 for everyone but its owners and staff who
passed the second factor. A coordinator without it, under STAFF_REQUIRE_MFA, sees what the public sees."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse

from core import access
from tests.accounts.conftest import activate_totp
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    AgreementVersionFactory,
    ChallengeFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.samples import PDF

pytestmark = pytest.mark.django_db


def _unpublished_challenge():
    return ChallengeFactory(proposed=True).get_absolute_url()


def _unpublished_challenges_document():
    from challenges.models import ChallengeDocument

    challenge = ChallengeFactory(proposed=True)
    document = ChallengeDocument.objects.create(
        challenge=challenge, title="Utkast", file=ContentFile(PDF, name="utkast.pdf")
    )
    return document.get_absolute_url()


def _unlisted_organisation():
    organisation = OrganisationFactory(public_listing=False)
    return reverse("organisations:detail", args=[organisation.slug])


def _unverified_organisation():
    organisation = OrganisationFactory(status="submitted", public_listing=True)
    return reverse("organisations:detail", args=[organisation.slug])


def _draft_meetings_document():
    from meetings.models import Meeting

    document = MeetingDocumentFactory.build(meeting=MeetingFactory(status=Meeting.Status.DRAFT), url="")
    document.file.save("utkast.pdf", ContentFile(PDF), save=True)
    return document.href


def _draft_agreements_version():
    version = AgreementVersionFactory(agreement=AgreementFactory(status="draft"), number=1)
    version.document.save("utkast.pdf", ContentFile(PDF), save=True)
    return reverse("agreements:version_document", args=[version.agreement.slug, 1])


def _draft_agreements_action_plan():
    plan = ActionPlanFactory(agreement=AgreementFactory(status="draft"))
    plan.document.save("plan.pdf", ContentFile(PDF), save=True)
    return reverse("agreements:action_plan_document", args=[plan.agreement.slug, plan.pk])


def _draft_consultations_document():
    from tests.factories.consultations import ConsultationFactory

    consultation = ConsultationFactory(status="draft")
    consultation.document.save("remiss.pdf", ContentFile(PDF), save=True)
    return reverse("consultations:document", args=[consultation.slug])


def _answer_attachment_before_it_is_public():
    from tests.factories.consultations import AnswerFactory, ConsultationFactory

    now = dt.datetime.now(dt.UTC)
    consultation = ConsultationFactory(status="open", opens_at=now, closes_at=now + dt.timedelta(days=7))
    answer = AnswerFactory(consultation=consultation)
    answer.attachment.save("svar.pdf", ContentFile(PDF), save=True)
    return reverse("consultations:answer_attachment", args=[consultation.slug, answer.pk])


GATED = [
    _unpublished_challenge,
    _unpublished_challenges_document,
    _unlisted_organisation,
    _unverified_organisation,
    _draft_meetings_document,
    _draft_agreements_version,
    _draft_agreements_action_plan,
    _draft_consultations_document,
    _answer_attachment_before_it_is_public,
]


@pytest.fixture
def require_mfa(settings, media_root):
    settings.STAFF_REQUIRE_MFA = True
    settings.RATELIMIT_ENABLE = False


@pytest.mark.parametrize("make", GATED, ids=lambda make: make.__name__.strip("_"))
def test_coordinator_without_the_second_factor_gets_404(client, coordinator, require_mfa, make):
    url = make()
    client.force_login(coordinator)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("make", GATED, ids=lambda make: make.__name__.strip("_"))
def test_coordinator_with_the_second_factor_gets_200(client, coordinator, require_mfa, make):
    url = make()
    activate_totp(coordinator)
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "") or response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("make", GATED, ids=lambda make: make.__name__.strip("_"))
def test_the_public_and_other_users_get_404(client, require_mfa, make):
    url = make()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("make", GATED, ids=lambda make: make.__name__.strip("_"))
def test_staff_without_the_view_permission_get_404(client, require_mfa, make):
    """Staff rights alone are not enough: the gate asks for the content's view permission too."""
    url = make()
    clerk = UserFactory(is_staff=True)
    activate_totp(clerk)
    client.force_login(clerk)
    assert client.get(url).status_code == 404


def test_without_the_setting_staff_need_no_second_factor(client, coordinator, media_root, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(coordinator)
    assert client.get(_unpublished_challenges_document()).status_code == 200


def test_owner_passes_the_gate():
    representative = UserFactory()
    assert access.may_see(representative, public=False, owner=True)
    assert not access.may_see(representative, public=False, owner=False)
    assert access.may_see(representative, public=False, owner=lambda: True)


def test_owner_callable_is_not_asked_for_public_content_or_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    def never():
        raise AssertionError("asked")

    assert access.may_see(AnonymousUser(), public=True, owner=never)
    assert not access.may_see(AnonymousUser(), public=False, owner=never)


def test_inactive_staff_never_pass(settings):
    settings.STAFF_REQUIRE_MFA = False
    user = UserFactory(is_staff=True, is_superuser=True, is_active=False)
    with pytest.raises(Http404):
        access.draft_gate(user, public=False)


def test_the_representative_of_an_unlisted_organisation_sees_it(client, require_mfa):
    link = RepresentativeFactory(organisation=OrganisationFactory(public_listing=False))
    client.force_login(link.user)
    assert client.get(reverse("organisations:detail", args=[link.organisation.slug])).status_code == 200
