"""Every write of a selection round: nominations, answers, ballots, the count and the result.

A package by concern; its modules import downward only (rounds, nominations, voting and reminders
use guards and recipients, never each other), and this module re-exports the public names, so
``from elections import services; services.round_count(...)`` and ``from elections.services import X``
keep working. Patch a name where it is looked up (``elections.services.voting.X``), not here.
"""

from .nominations import (
    CANDIDATE_SALT,
    candidate_token,
    nomination_create,
    nomination_from_token,
    nomination_respond,
    nomination_withdraw,
    nomination_withdraw_preview,
)
from .recipients import result_recipients, round_recipients
from .reminders import voting_reminders_send
from .rounds import (
    LAPSE_PENDING,
    MOVE_NOMINATION_START,
    MOVE_VOTING_START,
    round_count_preview,
    round_open_nominations,
    round_open_nominations_preview,
    round_open_voting,
    round_open_voting_preview,
    round_publish,
    round_publish_preview,
    round_step_back,
    round_step_back_preview,
)
from .voting import AlreadyVotedError, ballot_cast, round_count

__all__ = [
    "CANDIDATE_SALT",
    "LAPSE_PENDING",
    "MOVE_NOMINATION_START",
    "MOVE_VOTING_START",
    "AlreadyVotedError",
    "ballot_cast",
    "candidate_token",
    "nomination_create",
    "nomination_from_token",
    "nomination_respond",
    "nomination_withdraw",
    "nomination_withdraw_preview",
    "result_recipients",
    "round_count",
    "round_count_preview",
    "round_open_nominations",
    "round_open_nominations_preview",
    "round_open_voting",
    "round_open_voting_preview",
    "round_publish",
    "round_publish_preview",
    "round_step_back",
    "round_step_back_preview",
    "round_recipients",
    "voting_reminders_send",
]
