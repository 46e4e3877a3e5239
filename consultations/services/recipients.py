"""Who a consultation's e-mails go to (an organisation's representatives and confirmed contacts), and how they are queued."""

from collections import defaultdict

from organisations.representation import Recipient, recipients_by_organisation
from outbox.services import email_queue


def organisation_recipients(organisations) -> dict[int, list[Recipient]]:
    """(address, language) per organisation, once each: its active representatives and its confirmed
    contact persons. A consultation is the region's approach to the organisation itself, so its
    registered contacts hear of it even where nobody has an account (``organisations.representation``)."""
    return recipients_by_organisation(organisations, include_contacts=True)


def recipients_count(organisations) -> int:
    """How many e-mails ``mail_organisations`` queues for these organisations (one per address and organisation)."""
    return sum(len(addresses) for addresses in organisation_recipients(list(organisations)).values())


def mail_organisations(organisations, *, template: str, kind: str, context: dict) -> int:
    """One e-mail per recipient and language for each organisation, in the recipient's language."""
    organisations = list(organisations)
    recipients = organisation_recipients(organisations)
    queued = 0
    for organisation in organisations:
        by_language: dict[str, list[str]] = defaultdict(list)
        for address, language in recipients.get(organisation.pk, []):
            by_language[language].append(address)
        for language, addresses in by_language.items():
            rows = email_queue(
                to=addresses,
                template=template,
                context={**context, "organisation": organisation},
                language=language,
                kind=kind,
            )
            queued += len(rows)
    return queued
