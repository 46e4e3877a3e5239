"""Every write with a business rule about challenges (keyword-only, atomic).

Rights: only representatives of verified organisations raise challenges or join them, and only
for organisations they represent; coordinators (staff with the challenges' change permission)
move challenges through their statuses and post updates. E-mails go through the outbox, in each
recipient's language, and are sent after commit.

A package by concern; its modules import downward only (raising, steps, participation, updates
and preferences use rights and recipients, never each other), and this module re-exports the
public names, so ``from challenges import services; services.challenge_accept(...)`` and
``from challenges.services import X`` keep working. Patch a name where it is looked up
(``challenges.services.steps.X``), not here.
"""

from .participation import participation_join, participation_leave
from .preferences import email_preference_get, email_preference_set
from .raising import RESERVED_SLUGS, challenge_from_interest, challenge_raise, challenge_slug_unique
from .recipients import participant_recipients, raiser_recipients
from .steps import (
    STEP_BACK,
    challenge_accept,
    challenge_accept_preview,
    challenge_conclude,
    challenge_conclude_preview,
    challenge_decline,
    challenge_decline_preview,
    challenge_start,
    challenge_start_preview,
    challenge_step_back,
    challenge_step_back_preview,
)
from .updates import challenge_meetings_link, challenge_meetings_notify, update_notify, update_post

__all__ = [
    "RESERVED_SLUGS",
    "STEP_BACK",
    "challenge_accept",
    "challenge_accept_preview",
    "challenge_conclude",
    "challenge_conclude_preview",
    "challenge_decline",
    "challenge_decline_preview",
    "challenge_from_interest",
    "challenge_meetings_link",
    "challenge_meetings_notify",
    "challenge_raise",
    "challenge_slug_unique",
    "challenge_start",
    "challenge_start_preview",
    "challenge_step_back",
    "challenge_step_back_preview",
    "email_preference_get",
    "email_preference_set",
    "participant_recipients",
    "participation_join",
    "participation_leave",
    "raiser_recipients",
    "update_notify",
    "update_post",
]
