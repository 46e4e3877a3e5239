"""Following on an organisation's behalf (issue 25): which organisations a person may follow for, and
who hears what such a follow brings. Both answers come from ``representation`` (its fan-out helper),
so the rule of who is mailed for an organisation stays in one place."""

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from .representation import organisations_of, recipients_by_organisation


def choices(user) -> list[tuple[int, str]]:
    """The organisations ``user`` represents, by name."""
    return list(organisations_of(user).order_by("name").values_list("pk", "name"))


def members(pks) -> dict[int, list[int]]:
    """Per organisation id, the accounts mailed on its behalf (its representatives; contact persons
    without an account have no notifications to read)."""
    by_organisation = recipients_by_organisation(list(pks), include_contacts=False)
    addresses = {email.lower() for found in by_organisation.values() for email, _language in found}
    users = dict(
        get_user_model()
        .objects.annotate(address=Lower("email"))
        .filter(address__in=addresses, is_active=True)
        .values_list("address", "pk")
    )
    return {
        pk: sorted({users[email.lower()] for email, _language in found if email.lower() in users})
        for pk, found in by_organisation.items()
    }
