"""What ``meetings`` holds about a person: their sign-ups, made with the account or with one of its
verified addresses before logging in (as Mina sidor lists them).

Erasure: a sign-up for a meeting still to come is cancelled first (its place goes to the waitlist, as
when the person cancels), then every sign-up is anonymised as the retention rule does after the
meeting: the numbers stay for statistics, the person does not.

A programme speaker given one of the person's addresses (or linked to one of their sign-ups) is theirs
too: exported, and on erasure the address and the link are removed. The name, title and organisation on
a published programme stay: they are what the region published of the talk, not the account's data.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.personal_data import addresses_of, linked_rows
from core.regions import region_scope

from .models import Meeting, Registration, RegistrationAnswer, Speaker
from .retention import ANONYMOUS_NAME
from .selectors import REGISTRATIONS_SCOPE, meeting_scope, pages
from .services.common import promote_waitlisted


def _registrations(user):
    by_address = Q(pk__in=[])
    for address in addresses_of(user=user):
        by_address |= Q(email__iexact=address)
    return Registration.objects.filter(Q(user=user) | by_address)


def _speakers(user):
    by_address = Q(pk__in=[])
    for address in addresses_of(user=user):
        by_address |= Q(email__iexact=address)
    return Speaker.objects.filter(by_address | Q(registration__in=_registrations(user).values("pk")))


def export(user) -> dict:
    mine = _registrations(user).values("pk")
    return {
        "meetings.Registration": linked_rows(
            Registration,
            user,
            also=Q(pk__in=mine),
            hidden={"anonymised_at", "join_token"},
        ),
        "meetings.RegistrationAnswer": linked_rows(
            RegistrationAnswer, user, fields=(), also=Q(registration__in=mine), hidden={"question"}
        ),
        "meetings.Speaker": linked_rows(
            Speaker, user, fields=(), also=Q(pk__in=_speakers(user).values("pk")), hidden={"registration"}
        ),
    }


def erase(user) -> dict:
    """Users are global: their sign-ups of every region in the scope this runs in (``all_regions()`` for
    the whole account); each upcoming meeting's cancellation and waitlist run in the meeting's own region
    (its e-mails link to that region's host, its cached pages are that region's)."""
    now = timezone.now()
    upcoming = _registrations(user).exclude(status=Registration.Status.CANCELLED).filter(meeting__end__gte=now)
    cancelled = 0
    for meeting_id, region_id in sorted(set(upcoming.values_list("meeting_id", "region_id"))):
        with region_scope(region_id), transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            cancelled += (
                _registrations(user)
                .exclude(status=Registration.Status.CANCELLED)
                .filter(meeting=meeting)
                .update(status=Registration.Status.CANCELLED, cancelled_at=now, updated_at=now)
            )
            promote_waitlisted(meeting)
            pages.bump(REGISTRATIONS_SCOPE, meeting_scope(meeting.slug))
    speakers = Speaker.objects.filter(pk__in=list(_speakers(user).values_list("pk", flat=True))).update(
        email="", registration=None
    )
    registrations = _registrations(user)
    anonymised = 0
    for pk in registrations.order_by("pk").values_list("pk", flat=True):
        anonymised += Registration.objects.filter(pk=pk).update(
            name=ANONYMOUS_NAME,
            email=f"anonymiserad-{pk}@invalid.example",
            phone="",
            role="",
            example_description="",
            needs="",
            user=None,
            organisation_public=False,
            anonymised_at=now,
        )
        RegistrationAnswer.objects.filter(registration_id=pk).delete()
    return {
        "registrations_cancelled": cancelled,
        "registrations_anonymised": anonymised,
        "speakers_unlinked": speakers,
    }
