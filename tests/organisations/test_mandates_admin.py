"""The coordinators' queue of mandates: confirm, then verify / refuse / revoke (each mails the holder), the
start page's count, the expiry notice (once) and its list filter, and the holder's personal data."""

import datetime as dt
import os

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import user_data_export
from accounts.services import user_delete
from notifications.models import Notification
from notifications.services import digest_build
from organisations.models import Mandate
from organisations.tasks import send_mandate_expiry_notices
from tests.factories import MandateFactory, OrganisationFactory, RepresentativeFactory, UserFactory
from tests.samples import PDF, upload
from webhooks.models import Event

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:organisations_mandate_changelist")


def _requested(**kwargs):
    link = RepresentativeFactory(
        user=UserFactory(email="rut@example.se", full_name="Rut Holm"),
        organisation=OrganisationFactory(name="Föreningen Eken"),
    )
    return MandateFactory(representative=link, status=Mandate.Status.REQUESTED, verified_at=None, **kwargs)


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_verifying_asks_first_then_verifies_and_mails_the_holder(coordinator_client, coordinator, run_on_commit):
    mandate = _requested()
    page = coordinator_client.post(CHANGELIST, {"action": "verify", "_selected_action": [mandate.pk]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mandatet markeras som verifierat" in html
    assert "Totalt skickas 1 e-postmeddelande." in html
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.REQUESTED and mail.outbox == []

    with run_on_commit():
        response = coordinator_client.post(
            CHANGELIST,
            {"action": "verify", "_selected_action": [mandate.pk], "confirm": "yes", "note": "Ringt ordföranden."},
            follow=True,
        )
    assert f"{mandate}: verifierat; innehavaren har fått besked." in _messages(response)
    mandate.refresh_from_db()
    assert (mandate.status, mandate.verified_by, mandate.verification_note) == (
        Mandate.Status.VERIFIED,
        coordinator,
        "Ringt ordföranden.",
    )
    assert [m.to for m in mail.outbox] == [["rut@example.se"]]
    assert mail.outbox[0].subject == "Ditt mandat för Föreningen Eken är verifierat"
    assert "Hej Rut Holm!" in mail.outbox[0].body
    assert mandate.history.count() >= 2  # the audit trail: requested, then verified


def test_refusing_needs_a_reason_and_mails_it(coordinator_client, run_on_commit):
    mandate = _requested()
    without = coordinator_client.post(
        CHANGELIST, {"action": "refuse", "_selected_action": [mandate.pk], "confirm": "yes", "reason": ""}
    )
    assert without.status_code == 200 and "Fyll i fältet." in without.content.decode()
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.REQUESTED
    with run_on_commit():
        coordinator_client.post(
            CHANGELIST,
            {
                "action": "refuse",
                "_selected_action": [mandate.pk],
                "confirm": "yes",
                "reason": "Protokollet saknar justering.",
            },
        )
    mandate.refresh_from_db()
    assert (mandate.status, mandate.refusal_reason) == (Mandate.Status.REFUSED, "Protokollet saknar justering.")
    assert mail.outbox[0].subject == "Din begäran om mandat för Föreningen Eken har avslagits"
    assert "Protokollet saknar justering." in mail.outbox[0].body


def test_revoking_a_verified_mandate_ends_what_it_allowed_and_mails_the_holder(
    coordinator_client, coordinator, run_on_commit
):
    from organisations.representation import may_act

    mandate = MandateFactory()
    user, organisation = mandate.representative.user, mandate.representative.organisation
    assert may_act(user, organisation, "sign_agreement")
    with run_on_commit():
        coordinator_client.post(
            CHANGELIST,
            {"action": "revoke", "_selected_action": [mandate.pk], "confirm": "yes", "reason": "Lämnat styrelsen."},
        )
    mandate.refresh_from_db()
    assert (mandate.status, mandate.revoked_by) == (Mandate.Status.REVOKED, coordinator)
    assert not may_act(user, organisation, "sign_agreement")
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "Lämnat styrelsen." in mail.outbox[0].body


def test_a_step_that_does_not_fit_the_status_is_refused_and_mails_nobody(coordinator_client, run_on_commit):
    verified = MandateFactory()
    page = coordinator_client.post(CHANGELIST, {"action": "verify", "_selected_action": [verified.pk]})
    assert "Bara en väntande begäran kan verifieras (den här är verifierat)." in page.content.decode()
    with run_on_commit():
        response = coordinator_client.post(
            CHANGELIST, {"action": "verify", "_selected_action": [verified.pk], "confirm": "yes"}, follow=True
        )
    assert any("Bara en väntande begäran kan verifieras" in m for m in _messages(response))
    assert mail.outbox == []


def test_a_request_without_evidence_is_verified_only_with_a_note(coordinator_client, run_on_commit):
    mandate = _requested(verification_note="")
    with run_on_commit():
        response = coordinator_client.post(
            CHANGELIST, {"action": "verify", "_selected_action": [mandate.pk], "confirm": "yes"}, follow=True
        )
    assert any("Skriv hur mandatet kontrollerades" in m for m in _messages(response))
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.REQUESTED and mail.outbox == []


def test_the_start_page_counts_the_waiting_requests(coordinator_client):
    _requested()
    MandateFactory()
    html = coordinator_client.get(reverse("admin:index")).content.decode()
    assert '<span class="work-count">1</span> <span class="work-label">Mandat att verifiera' in html
    assert f"{CHANGELIST}?status__exact=requested" in html


def test_the_queue_searches_and_filters(coordinator_client, django_assert_max_num_queries):
    waiting = _requested()
    for _ in range(6):
        MandateFactory()
    soon = MandateFactory(valid_to=timezone.localdate() + dt.timedelta(days=12))
    with django_assert_max_num_queries(25):
        listed = coordinator_client.get(CHANGELIST).content.decode()
    assert "rut@example.se" in listed and "Föreningen Eken" in listed
    found = coordinator_client.get(CHANGELIST, {"q": "rut@example"}).context["cl"].result_list
    assert list(found) == [waiting]
    found = coordinator_client.get(CHANGELIST, {"q": "Eken"}).context["cl"].result_list
    assert list(found) == [waiting]
    expiring = coordinator_client.get(CHANGELIST, {"expires": "30"}).context["cl"].result_list
    assert list(expiring) == [soon]
    requested = coordinator_client.get(CHANGELIST, {"status__exact": "requested"}).context["cl"].result_list
    assert list(requested) == [waiting]


def test_the_admin_list_is_in_swedish(coordinator_client):
    _requested()
    html = coordinator_client.get(CHANGELIST).content.decode()
    for text in ("Verifiera markerade mandat", "Avslå markerade begäranden (med skäl)", "går ut inom 30 dagar"):
        assert text in html


# --- Expiry ------------------------------------------------------------------------------------------------


def test_the_holder_is_told_once_within_30_days_of_the_last_day(run_on_commit):
    today = timezone.localdate()
    soon = MandateFactory(valid_to=today + dt.timedelta(days=20))
    MandateFactory(valid_to=today + dt.timedelta(days=31))  # not yet
    MandateFactory(valid_to=today + dt.timedelta(days=5), status=Mandate.Status.REVOKED)  # not in force
    MandateFactory(valid_to=today - dt.timedelta(days=1))  # already expired
    with run_on_commit():
        send_mandate_expiry_notices.apply()
        send_mandate_expiry_notices.apply()
    assert [m.to for m in mail.outbox] == [[soon.representative.user.email]]
    assert "går snart ut" in mail.outbox[0].subject
    soon.refresh_from_db()
    assert soon.expiry_notice_sent_at is not None


def test_the_expiry_notice_is_listed_among_the_holders_notifications_once_and_never_in_a_digest(client, run_on_commit):
    today = timezone.localdate()
    soon = MandateFactory(
        valid_to=today + dt.timedelta(days=20),
        representative__organisation__name="Föreningen Eken",
        representative__user__language="en",
    )
    someone = UserFactory()
    with run_on_commit():
        send_mandate_expiry_notices.apply()
        send_mandate_expiry_notices.apply()
    holder = soon.representative.user
    # In the holder's language, as the e-mail; e-mailed already, so no digest brings it again.
    [notification] = Notification.objects.filter(user=holder)
    assert notification.title == "Your mandate for Föreningen Eken runs out soon"
    assert notification.emailed_at is not None
    assert digest_build(user=holder, now=timezone.now() + dt.timedelta(days=8)) is None
    assert not Notification.objects.filter(user=someone).exists()
    assert not Event.objects.exists()  # personal: never an event for webhook endpoints

    client.force_login(holder)
    page = client.get(reverse("accounts:mypages")).content.decode()
    assert "Your mandate for Föreningen Eken runs out soon" in page
    assert f'href="{reverse("accounts:mypages")}#mypages-organisations-heading"' in page
    client.force_login(someone)
    assert "Föreningen Eken" not in client.get(reverse("accounts:mypages")).content.decode()


def test_a_verified_mandate_is_listed_in_swedish_for_a_swedish_holder(coordinator_client, run_on_commit):
    mandate = _requested()
    with run_on_commit():
        coordinator_client.post(
            CHANGELIST, {"action": "verify", "_selected_action": [mandate.pk], "confirm": "yes", "note": "Ringt."}
        )
    titles = list(Notification.objects.filter(user=mandate.representative.user).values_list("title", flat=True))
    assert titles == ["Ditt mandat för Föreningen Eken är verifierat"]


# --- Personal data ---------------------------------------------------------------------------------------


def test_download_my_data_lists_the_persons_mandates():
    mine = MandateFactory(message="Vald på årsmötet.")
    MandateFactory()  # someone else's
    data = user_data_export(user=mine.representative.user)
    assert [row["message"] for row in data["organisations.Mandate"]] == ["Vald på årsmötet."]
    assert data["organisations.Mandate"][0]["status"] == "verified"


def test_deleting_the_account_deletes_the_mandates_and_their_files(media_root):
    mine = MandateFactory(evidence=upload("protokoll.pdf", PDF))
    other = MandateFactory(evidence=upload("protokoll.pdf", PDF))
    stored = mine.evidence.storage.path(mine.evidence.name)
    user = mine.representative.user
    user_delete(user=user)
    assert not Mandate.objects.filter(pk=mine.pk).exists()
    assert not Mandate.history.filter(id=mine.pk).exists()
    assert not os.path.exists(stored)
    assert Mandate.objects.filter(pk=other.pk).exists()
    assert other.evidence.storage.exists(other.evidence.name)


def test_merging_duplicates_keeps_the_mandates_of_a_person_who_represents_both():
    from organisations.representation import may_act
    from organisations.services import organisation_merge

    keep, duplicate = OrganisationFactory(), OrganisationFactory()
    user = UserFactory()
    kept_link = RepresentativeFactory(user=user, organisation=keep)
    mandate = MandateFactory(representative=RepresentativeFactory(user=user, organisation=duplicate))
    organisation_merge(keep=keep, duplicates=[duplicate])
    mandate.refresh_from_db()
    assert mandate.representative == kept_link
    assert may_act(user, keep, "sign_agreement")


def test_merging_three_keeps_the_mandates_of_a_person_who_represents_two_duplicates_but_not_the_kept_one():
    from organisations.models import Representative
    from organisations.representation import may_act
    from organisations.services import organisation_merge

    keep, first, second = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    user = UserFactory()
    board = MandateFactory(representative=RepresentativeFactory(user=user, organisation=first))
    signatory = MandateFactory(
        representative=RepresentativeFactory(user=user, organisation=second), kind=Mandate.Kind.SIGNATORY
    )
    organisation_merge(keep=keep, duplicates=[first, second])
    link = Representative.objects.get(user=user)
    assert link.organisation == keep
    assert set(Mandate.objects.filter(representative=link)) == {board, signatory}
    assert may_act(user, keep, "sign_agreement")


def test_a_decided_mandate_s_page_links_its_evidence_through_the_checking_view(coordinator_client, media_root):
    mandate = MandateFactory(evidence=upload("protokoll.pdf", PDF))
    page = coordinator_client.get(reverse("admin:organisations_mandate_change", args=[mandate.pk]))
    assert page.status_code == 200
    assert reverse("organisations:mandate_evidence", args=[mandate.pk]) in page.content.decode()
    assert 'name="valid_to"' not in page.content.decode()  # what it was decided on stays


def test_the_demo_has_a_board_mandate_a_waiting_request_and_one_expiring_in_20_days(media_root):
    from organisations.demo import DEMO_REPRESENTATIVE_EMAIL, load

    load()
    load()  # loading twice adds nothing
    held = Mandate.objects.filter(representative__user__email=DEMO_REPRESENTATIVE_EMAIL)
    assert held.filter(status=Mandate.Status.VERIFIED, kind=Mandate.Kind.BOARD).count() == 1
    assert held.requested().count() == 1
    assert [m.valid_to for m in held.expiring()] == [timezone.localdate() + dt.timedelta(days=20)]
