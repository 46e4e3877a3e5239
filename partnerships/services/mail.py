"""Who the grants' e-mails go to: the organisation's representatives (``organisations.representation``'s
fan-out helper), each in their language."""

from collections import defaultdict

from organisations.representation import recipients_by_organisation
from outbox.services import email_queue


def organisation_recipients(organisation) -> list[tuple[str, str]]:
    """The organisation's active representatives. A grant is applied for, decided and reported on through
    the portal by people with accounts, so contact persons without one are not mailed
    (``include_contacts=False``, the policy in ``organisations/representation.py``)."""
    return recipients_by_organisation([organisation], include_contacts=False).get(organisation.pk, [])


def mail_organisation(organisation, *, template: str, kind: str, context: dict) -> int:
    """One e-mail per recipient language; returns how many rows were queued."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for address, language in organisation_recipients(organisation):
        by_language[language].append(address)
    queued = 0
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
