"""What ``organisations`` holds about a person: the organisations their account represents, their
mandates (with the evidence they uploaded), and the contact rows and interest submissions under their
address.

Erasure: the person's mandates go, with their evidence files and their historical copies (a mandate is
about the person; what the organisation did under it is recorded by the act's own app); the
representation goes with the account; contact rows under the person's address are deleted (an interest
submission keeps what the organisation said, without its contact person), and the address is scrubbed
from the submissions' messages. A coordinator's name is unlinked from the mandates they decided.
"""

from django.db.models import Q

from core.personal_data import addresses_of, linked_rows, scrub_addresses, unlink_history

from .models import Contact, InterestSubmission, Mandate, Organisation, Representative


def _contacts(addresses):
    by_address = Q(pk__in=[])
    for address in addresses:
        by_address |= Q(email__iexact=address)
    return Contact.objects.filter(by_address)


def export(user) -> dict:
    contacts = _contacts(addresses_of(user=user))
    return {
        "organisations.Organisation": linked_rows(Organisation, user),
        "organisations.Representative": linked_rows(Representative, user),
        "organisations.Mandate": linked_rows(Mandate, user, also=Q(representative__user=user)),
        "organisations.Contact": linked_rows(Contact, user, also=Q(pk__in=contacts.values("pk"))),
        "organisations.InterestSubmission": linked_rows(
            InterestSubmission, user, also=Q(contact__in=contacts.values("pk"))
        ),
    }


def _erase_mandates(user) -> tuple[int, int]:
    """Delete the person's mandates, their evidence files and their history; the number of each."""
    held = list(Mandate.objects.filter(representative__user=user))
    files = 0
    for mandate in held:
        if mandate.evidence:
            mandate.evidence.delete(save=False)
            files += 1
    ids = [mandate.pk for mandate in held]
    deleted, _ = Mandate.objects.filter(pk__in=ids).delete()
    # After the rows: deleting them writes one more historical copy.
    Mandate.history.filter(id__in=ids).delete()
    return deleted, files


def unlink_mandated_acts(model, user) -> int:
    """For the apps' erasure: the acts of ``model`` (a ``MandatedAct``) forget the person's mandates, in their
    history too; the act stays, the organisation's record. Deleting the mandates would do it for the rows
    (``SET_NULL``), whichever provider runs first; the historical copies need this."""
    from core.regions import all_regions

    with all_regions():
        ids = list(Mandate.objects.filter(representative__user=user).values_list("pk", flat=True))
        if not ids:
            return 0
        unlinked = model._default_manager.filter(mandate_id__in=ids).update(mandate=None)
        history = getattr(model, "history", None)
        if history is not None:
            unlinked += history.filter(mandate_id__in=ids).update(mandate=None)
        return unlinked


def erase(user) -> dict:
    addresses = addresses_of(user=user)
    contacts = _contacts(addresses)
    submissions = scrub_addresses(InterestSubmission.objects.all(), ["message"], addresses)
    mandates, files = _erase_mandates(user)
    history = unlink_history(Mandate, user)
    deleted, _ = contacts.delete()
    representations, _ = Representative.objects.filter(user=user).delete()
    return {
        "contacts_deleted": deleted,
        "representations": representations,
        "messages_scrubbed": submissions,
        "mandates_deleted": mandates,
        "mandate_files_deleted": files,
        "history_rows": history,
    }
