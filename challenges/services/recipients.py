"""Who a challenge's e-mails go to (coordinators, the raiser, the participants who want news), and how they are queued."""

from collections import defaultdict
from collections.abc import Iterable

from core.links import site_url
from core.permissions import coordinator_emails
from organisations.representation import Recipient, merge_recipients, recipients_for, user_recipients
from outbox.services import email_queue

from ..models import Challenge


def mail_users(recipients: Iterable[Recipient], *, template: str, context: dict, kind: str) -> int:
    """One e-mail per (address, language), rendered once per language."""
    by_language = defaultdict(list)
    for address, language in recipients:
        by_language[language].append(address)
    count = 0
    for language, emails in by_language.items():
        count += len(email_queue(to=emails, template=template, context=context, language=language, kind=kind))
    return count


def mail_coordinators(challenge: Challenge, *, template: str, context: dict, kind: str) -> int:
    """One Swedish e-mail to the coordinators and the challenge's contact coordinator; returns how many."""
    recipients = coordinator_emails()
    if challenge.contact_coordinator_id and challenge.contact_coordinator.email:
        recipients.append(challenge.contact_coordinator.email)
    if not recipients:
        return 0
    return len(email_queue(to=recipients, template=template, context=context, language="sv", kind=kind))


def raisers(challenge: Challenge) -> list[Recipient]:
    """Who raised it: the person who sent it and the raising organisation's representatives (never its
    contact persons: the challenge was raised through the portal, ``organisations.representation``)."""
    return merge_recipients(
        user_recipients([challenge.raised_by_user] if challenge.raised_by_user_id else []),
        recipients_for(
            [challenge.raising_organisation_id] if challenge.raising_organisation_id else [], include_contacts=False
        ),
    )


def participant_recipients(*, challenge: Challenge) -> list[Recipient]:
    """Representatives of every participating organisation who have not turned challenge e-mails off
    (never the contact persons: the organisations chose to take part through their representatives)."""
    from ..models import EmailPreference

    organisations = challenge.participations.order_by("organisation__name", "pk").values_list(
        "organisation_id", flat=True
    )
    # The choice of this region (users are global; a join from the user would see every region's).
    opted_out = EmailPreference.objects.filter(updates=False).values("user_id")
    return recipients_for(list(organisations), include_contacts=False, exclude_users=opted_out)


def mail_context(challenge: Challenge, **extra) -> dict:
    """What every challenge e-mail shows: the challenge and its full address."""
    return {"challenge": challenge, "url": site_url() + challenge.get_absolute_url(), **extra}


def raiser_recipients(*, challenge: Challenge) -> list:
    """The addresses a message to the raiser reaches (``raisers``)."""
    return raisers(challenge)
