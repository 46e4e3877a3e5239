"""Reminders before the deadline, once per (consultation, organisation, kind)."""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import selectors
from ..models import Answer, Consultation, Reminder
from .recipients import mail_organisations

logger = logging.getLogger(__name__)


def reminders_plan(*, now: datetime | None = None) -> int:
    """Remind invited organisations that have not submitted, 7 days and 1 day before the deadline.

    Each (consultation, organisation, kind) once: the unique constraint on Reminder decides, so a
    second run, or a second worker at the same time, mails nobody twice. A reminder whose time had
    already passed when the consultation opened is skipped (the invitation was just sent), and the
    7-day one is skipped once the 1-day one is due.
    """
    now = now or timezone.now()
    queued = 0
    for consultation in Consultation.objects.filter(status=Consultation.Status.OPEN, closes_at__gt=now):
        for kind in (Reminder.Kind.DAY, Reminder.Kind.WEEK):
            due_at = consultation.closes_at - Reminder.OFFSETS[kind]
            if now < due_at or (consultation.opens_at and consultation.opens_at >= due_at):
                continue
            if kind == Reminder.Kind.WEEK and now >= consultation.closes_at - Reminder.OFFSETS[Reminder.Kind.DAY]:
                continue
            organisations = (
                selectors.invited_organisations(consultation=consultation)
                .exclude(
                    pk__in=Answer.objects.filter(consultation=consultation, state=Answer.State.SUBMITTED).values(
                        "organisation"
                    )
                )
                .exclude(pk__in=Reminder.objects.filter(consultation=consultation, kind=kind).values("organisation"))
            )
            for organisation in list(organisations):
                try:
                    with transaction.atomic():
                        Reminder.objects.create(consultation=consultation, organisation=organisation, kind=kind)
                        queued += mail_organisations(
                            [organisation],
                            template="consultations/reminder",
                            kind=f"consultations.reminder.{kind}",
                            context={"consultation": consultation, "kind": kind},
                        )
                except IntegrityError:
                    continue  # another run got there first
    if queued:
        logger.info("consultations: %s reminder e-mails queued", queued)
    return queued
