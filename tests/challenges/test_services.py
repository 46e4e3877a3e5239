"""The challenge flows through the services: raise, moderate, join and leave, updates and meetings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from challenges import services
from challenges.models import Challenge, Participation, Update
from organisations.models import Organisation
from outbox.models import OutgoingEmail
from tests.factories import (
    ChallengeFactory,
    InterestSubmissionFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _raise(user, **overrides):
    fields = {
        "user": user,
        "organisation": user.organisation,
        "title": "Långa avstånd till vården",
        "summary": "Äldre i glesbygden har långt till vårdcentralen.",
        "description": "Vi vill hitta lösningar tillsammans.",
    }
    return services.challenge_raise(**{**fields, **overrides})


def test_raising_makes_a_proposed_challenge_tells_coordinators_and_sends_a_receipt(representative, coordinator):
    challenge = _raise(representative)
    assert challenge.status == Challenge.Status.PROPOSED
    assert not challenge.is_public
    assert challenge.participations.get().role == Participation.Role.RAISED
    assert OutgoingEmail.objects.filter(to=coordinator.email, kind="challenges.proposed").exists()
    receipt = OutgoingEmail.objects.get(to=representative.email, kind="challenges.receipt")
    assert "Långa avstånd till vården" in receipt.subject


def test_only_a_representative_of_the_organisation_can_raise_for_it(representative, other_representative):
    with pytest.raises(PermissionDenied):
        _raise(representative, organisation=other_representative.organisation)
    assert not Challenge.objects.exists()


def test_a_representative_of_an_unverified_organisation_cannot_raise(representative):
    Organisation.objects.filter(pk=representative.organisation.pk).update(status=Organisation.Status.SUBMITTED)
    representative.organisation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _raise(representative)


def test_accepting_publishes_and_tells_the_raiser(representative, coordinator):
    challenge = services.challenge_accept(challenge=_raise(representative), by=coordinator)
    assert challenge.is_public
    assert Challenge.objects.public().filter(pk=challenge.pk).exists()
    assert OutgoingEmail.objects.filter(to=representative.email, kind="challenges.accepted").exists()


def test_declining_needs_a_reason_and_tells_the_raiser_why(representative, coordinator):
    challenge = _raise(representative)
    with pytest.raises(ValidationError):
        services.challenge_decline(challenge=challenge, by=coordinator, reason="  ")
    services.challenge_decline(challenge=challenge, by=coordinator, reason="Det ligger utanför regionens ansvar.")
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DECLINED
    mail = OutgoingEmail.objects.get(to=representative.email, kind="challenges.declined")
    assert "Det ligger utanför regionens ansvar." in mail.body_text


def test_status_moves_only_forward(coordinator):
    challenge = ChallengeFactory()
    services.challenge_start(challenge=challenge, by=coordinator)
    with pytest.raises(ValidationError):
        services.challenge_accept(challenge=challenge, by=coordinator)
    with pytest.raises(ValidationError):
        services.challenge_conclude(challenge=challenge, by=coordinator, outcome="")
    services.challenge_conclude(challenge=challenge, by=coordinator, outcome="En ny mötesplats i Härnösand.")
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CONCLUDED
    assert challenge.outcome == "En ny mötesplats i Härnösand."


def test_a_representative_cannot_moderate(representative):
    with pytest.raises(PermissionDenied):
        services.challenge_accept(challenge=_raise(representative), by=representative)


def test_joining_tells_coordinators_and_a_second_join_is_refused(other_representative, coordinator):
    challenge = ChallengeFactory()
    services.participation_join(
        challenge=challenge, organisation=other_representative.organisation, user=other_representative, role="follows"
    )
    assert OutgoingEmail.objects.filter(to=coordinator.email, kind="challenges.joined").exists()
    with pytest.raises(ValidationError):
        services.participation_join(
            challenge=challenge,
            organisation=other_representative.organisation,
            user=other_representative,
            role="takes_part",
        )
    assert challenge.participations.count() == 1


def test_another_organisations_representative_cannot_join_for_it(representative, other_representative):
    with pytest.raises(PermissionDenied):
        services.participation_join(
            challenge=ChallengeFactory(),
            organisation=other_representative.organisation,
            user=representative,
            role="follows",
        )


def test_joining_a_proposed_or_concluded_challenge_is_refused(representative):
    for challenge in (
        ChallengeFactory(proposed=True),
        ChallengeFactory(status=Challenge.Status.CONCLUDED),
    ):
        with pytest.raises(ValidationError):
            services.participation_join(
                challenge=challenge, organisation=representative.organisation, user=representative, role="follows"
            )


def test_leaving_tells_coordinators_but_the_raiser_stays(representative, coordinator):
    participation = ParticipationFactory(organisation=representative.organisation)
    services.participation_leave(participation=participation, user=representative)
    assert not Participation.objects.filter(pk=participation.pk).exists()
    assert OutgoingEmail.objects.filter(to=coordinator.email, kind="challenges.left").exists()
    raised = ParticipationFactory(organisation=representative.organisation, role=Participation.Role.RAISED)
    with pytest.raises(ValidationError):
        services.participation_leave(participation=raised, user=representative)


def test_leaving_twice_at_once_tells_the_coordinators_once(representative, coordinator):
    """A double click: both requests read the participation before either deleted it."""
    participation = ParticipationFactory(organisation=representative.organisation)
    read_twice = Participation.objects.get(pk=participation.pk)
    services.participation_leave(participation=participation, user=representative)
    services.participation_leave(participation=read_twice, user=representative)
    assert OutgoingEmail.objects.filter(kind="challenges.left").count() == 1


def test_an_update_mails_each_participant_once_in_their_language_unless_turned_off(
    representative, other_representative, coordinator
):
    challenge = ChallengeFactory(title="Flyktingsituationen")
    ParticipationFactory(challenge=challenge, organisation=representative.organisation)
    ParticipationFactory(challenge=challenge, organisation=other_representative.organisation)
    # Someone representing both organisations still gets one e-mail.
    both = UserFactory(email="bada@example.se")
    RepresentativeFactory(user=both, organisation=representative.organisation)
    RepresentativeFactory(user=both, organisation=other_representative.organisation)
    services.email_preference_set(user=representative, updates=False)

    update = services.update_post(challenge=challenge, by=coordinator, title="Beslut om en arbetsgrupp", text="Text")
    mails = OutgoingEmail.objects.filter(kind="challenges.update")
    assert sorted(mails.values_list("to", flat=True)) == ["bada@example.se", "olle@example.se"]
    assert mails.get(to="olle@example.se").language == "en"
    assert "News about the challenge" in mails.get(to="olle@example.se").subject
    assert services.update_notify(update=update) == 0  # a second call mails nobody
    assert mails.count() == 2


def test_linking_a_meeting_mails_the_participants_once_per_new_meeting(other_representative, coordinator):
    challenge = ChallengeFactory()
    ParticipationFactory(challenge=challenge, organisation=other_representative.organisation)
    meeting = MeetingFactory(title="Dialogmöte om nära vård")
    services.challenge_meetings_link(challenge=challenge, meetings=[meeting], by=coordinator)
    services.challenge_meetings_link(challenge=challenge, meetings=[meeting], by=coordinator)
    mails = OutgoingEmail.objects.filter(kind="challenges.meeting")
    assert mails.count() == 1
    assert meeting.get_absolute_url() in mails.get().body_text


def test_an_interest_submission_becomes_a_proposed_challenge(coordinator):
    submission = InterestSubmissionFactory(
        wants_raise_challenge=True, message="Ensamhet bland äldre\nVi ser att många äldre är ensamma."
    )
    challenge = services.challenge_from_interest(submission=submission, by=coordinator)
    assert challenge.status == Challenge.Status.PROPOSED
    assert challenge.title == "Ensamhet bland äldre"
    assert challenge.raising_organisation == submission.organisation
    submission.refresh_from_db()
    assert submission.handled


def test_an_interest_submission_becomes_one_challenge_however_often_the_action_runs(coordinator):
    submission = InterestSubmissionFactory(wants_raise_challenge=True, message="Ensamhet bland äldre")
    services.challenge_from_interest(submission=submission, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.challenge_from_interest(submission=submission, by=coordinator)
    assert refused.value.code == "handled"
    assert Challenge.objects.count() == 1 and Participation.objects.count() == 1


def test_an_interest_submission_without_the_wish_is_refused(coordinator):
    with pytest.raises(ValidationError):
        services.challenge_from_interest(submission=InterestSubmissionFactory(), by=coordinator)


def test_an_update_on_a_proposed_challenge_mails_nobody(coordinator, representative):
    challenge = ChallengeFactory(proposed=True, raising_organisation=representative.organisation)
    ParticipationFactory(challenge=challenge, organisation=representative.organisation)
    services.update_post(challenge=challenge, by=coordinator, title="Intern anteckning")
    assert not OutgoingEmail.objects.filter(kind="challenges.update").exists()
    assert Update.objects.get().notified_at is not None


def test_slugs_are_unique_and_never_a_reserved_path(representative):
    first = _raise(representative, title="Lyft en utmaning")
    second = _raise(representative, title="Lyft en utmaning", summary="Ett annat förslag med samma rubrik.")
    assert first.slug != second.slug
    assert "lyft-en-utmaning" not in (first.slug, second.slug)
    assert OrganisationFactory  # factories import check
