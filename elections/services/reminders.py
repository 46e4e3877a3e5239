"""The reminder before voting closes, once per organisation that has not voted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import SelectionRound, VotingReminder
from ..selectors import eligible_organisations
from .recipients import mail_each, representatives


def voting_reminders_send(*, now=None) -> int:
    """Two days before voting closes, remind each eligible organisation that has not voted, once."""
    now = now or timezone.now()
    window = dt.timedelta(days=settings.ELECTIONS_REMINDER_DAYS)
    sent = 0
    rounds = SelectionRound.objects.filter(
        status=SelectionRound.Status.VOTING,
        voting_opens__lte=now,
        voting_closes__gt=now,
        voting_closes__lte=now + window,
    )
    for selection_round in rounds:
        voted = selection_round.casts.values("organisation_id")
        reminded = selection_round.reminders.values("organisation_id")
        for organisation in (
            eligible_organisations(round=selection_round).exclude(pk__in=voted).exclude(pk__in=reminded)
        ):
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        VotingReminder.objects.create(round=selection_round, organisation=organisation)
                except IntegrityError:
                    continue  # another run got there first
                sent += (
                    mail_each(
                        representatives([organisation]),
                        template="elections/voting_reminder",
                        context={"round": selection_round, "organisation": organisation},
                        kind="elections.voting_reminder",
                    )
                    and 1
                )
    return sent
