"""After the meeting: the evaluation to those who attended (once each) and its anonymous summary."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import site_url
from outbox.services import email_queue

from ..models import Meeting, MeetingEvaluation, Registration

logger = logging.getLogger(__name__)

COMMENT_MAX = 2000


def evaluation_url(registration: Registration) -> str:
    path = reverse("meetings:evaluate", kwargs={"slug": registration.meeting.slug, "token": registration.join_token})
    return f"{site_url()}{path}"


def evaluation_recipients(meeting: Meeting):
    """Confirmed registrations recorded as attended (joined, checked in or ticked) not yet sent the evaluation."""
    return meeting.registrations.filter(
        status=Registration.Status.CONFIRMED, attended=True, evaluation_sent_at__isnull=True
    )


def meeting_send_evaluation(*, meeting: Meeting, now=None) -> int:
    """Mail the evaluation to everyone who attended and has not had it; each once. Returns the count.
    Refused (ValidationError) before the meeting has ended."""
    now = now or timezone.now()
    if meeting.end > now:
        raise ValidationError(_("The evaluation can be sent when the meeting is over."), code="not_over")
    sent = 0
    with transaction.atomic():
        people = list(evaluation_recipients(meeting).select_for_update().select_related("meeting"))
        for registration in people:
            email_queue(
                to=registration.email,
                template="meetings/evaluation",
                context={
                    "meeting": meeting,
                    "registration": registration,
                    "evaluation_url": evaluation_url(registration),
                    "meeting_url": f"{site_url()}{meeting.get_absolute_url()}",
                },
                language=registration.language or settings.LANGUAGE_CODE,
                reply_to=meeting.contact_email,
                kind="meetings.evaluation",
            )
            sent += 1
        Registration.objects.filter(pk__in=[r.pk for r in people]).update(evaluation_sent_at=now, updated_at=now)
    logger.info("meetings: evaluation sent to %s attendees of meeting %s", sent, meeting.pk)
    return sent


def evaluation_submit(*, registration: Registration, rating: int, comment: str = "") -> bool:
    """Store one attendee's evaluation, anonymously. False (nothing stored) when they have answered
    already or did not attend: the conditional UPDATE lets one of two answers sent at once through."""
    if rating not in range(1, 6):
        raise ValidationError(_("Choose a rating from 1 to 5."), code="rating")
    with transaction.atomic():
        claimed = Registration.objects.filter(
            pk=registration.pk, status=Registration.Status.CONFIRMED, attended=True, evaluated=False
        ).update(evaluated=True)
        if not claimed:
            return False
        MeetingEvaluation.objects.create(
            meeting_id=registration.meeting_id, rating=rating, comment=comment.strip()[:COMMENT_MAX]
        )
    return True


@dataclass
class EvaluationSummary:
    count: int = 0
    average: float | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (rating, how many), 5 to 1
    comments: list[str] = field(default_factory=list)
    sent: int = 0


def evaluation_summary(meeting: Meeting) -> EvaluationSummary:
    """The evaluations of a meeting together: nothing in it names anyone."""
    evaluations = MeetingEvaluation.objects.filter(meeting=meeting)
    totals = evaluations.aggregate(count=Count("pk"), average=Avg("rating"))
    by_rating = dict(evaluations.values_list("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    return EvaluationSummary(
        count=totals["count"],
        average=round(totals["average"], 1) if totals["average"] is not None else None,
        distribution=[(rating, by_rating.get(rating, 0)) for rating in range(5, 0, -1)],
        comments=[c for c in evaluations.exclude(comment="").order_by("?").values_list("comment", flat=True)],
        sent=meeting.registrations.filter(evaluation_sent_at__isnull=False).count(),
    )
