"""Who a round's e-mails go to, and the one way they are queued."""

from __future__ import annotations

from organisations.representation import Recipient, merge_recipients, recipients_for
from outbox.services import email_queue

from ..models import Nomination, SelectionRound
from ..selectors import eligible_organisations


def representatives(organisations) -> list[Recipient]:
    """Everything about a round is done by the organisations' representatives (nominating, voting):
    its e-mails go to them, never to the contact persons (``organisations.representation``)."""
    return recipients_for(organisations, include_contacts=False)


def mail_each(recipients, *, template: str, context: dict, kind: str) -> int:
    """Queue one e-mail per (address, language) recipient; returns how many were queued."""
    for address, language in recipients:
        email_queue(to=address, template=template, context=context, language=language, kind=kind)
    return len(recipients)


def round_recipients(*, round: SelectionRound) -> list[Recipient]:
    """Who a round's status e-mails go to: the eligible organisations' representatives, once each."""
    return representatives(eligible_organisations(round=round))


def result_recipients(*, round: SelectionRound) -> list[Recipient]:
    """Who the published result goes to: the representatives and every standing candidate, once each."""
    candidates = round.nominations.filter(status=Nomination.Status.ACCEPTED).order_by("pk")
    return merge_recipients(
        round_recipients(round=round),
        ((address, None) for address in candidates.values_list("candidate_email", flat=True)),
    )
