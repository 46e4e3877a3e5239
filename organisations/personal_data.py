"""What ``organisations`` holds about a person: the organisations their account represents, and the
contact rows and interest submissions under their address.

Erasure: the representation goes with the account; contact rows under the person's address are
deleted (an interest submission keeps what the organisation said, without its contact person), and
the address is scrubbed from the submissions' messages.
"""

from django.db.models import Q

from core.personal_data import addresses_of, linked_rows, scrub_addresses

from .models import Contact, InterestSubmission, Organisation, Representative


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
        "organisations.Contact": linked_rows(Contact, user, also=Q(pk__in=contacts.values("pk"))),
        "organisations.InterestSubmission": linked_rows(
            InterestSubmission, user, also=Q(contact__in=contacts.values("pk"))
        ),
    }


def erase(user) -> dict:
    addresses = addresses_of(user=user)
    contacts = _contacts(addresses)
    submissions = scrub_addresses(InterestSubmission.objects.all(), ["message"], addresses)
    deleted, _ = contacts.delete()
    representations, _ = Representative.objects.filter(user=user).delete()
    return {"contacts_deleted": deleted, "representations": representations, "messages_scrubbed": submissions}
