"""Reads about accounts that span apps."""

from allauth.account.models import EmailAddress

from core.links import site_url
from core.region_state import current_region
from core.registry import portal

from .models import User


def addresses_of(*, user: User) -> set[str]:
    """The person's own e-mail addresses, lower-cased: the login and every verified address.

    Rows that carry one of them without a link to the account (a sign-up made before logging in,
    a contact person, a candidate) are the person's too, for "download my data" and for erasure. An
    unverified address is not: anyone may type another person's address into their account.
    """
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {address.lower() for address in [user.email, *verified] if address}


def export_region() -> dict:
    """Which region an export covers: the region in force (the host it was asked on). Every regional
    row is read through a scoped manager, so the export holds the person's rows of this region only;
    the account itself (and what is not regional) is the same in every region's export."""
    region = current_region()
    if region is None:
        return {"name": None, "short_name": None, "address": None, "all_regions": True}
    return {"name": region.name, "short_name": region.short_name, "address": site_url(), "all_regions": False}


def user_data_export(*, user: User) -> dict:
    """Everything the portal stores about ``user`` in the region in force, for "download my data".

    Each app says what it holds (``portal.personal_data`` in its ``portal.py``): the account (with
    its addresses and authenticators, never their secrets) from ``accounts``, organisations
    represented, meeting sign-ups, signatures, challenges, answers, nominations, e-mails … from
    theirs. Sections are keyed by model label; two apps never claim the same one. The section
    ``"region"`` says which region's rows these are (``export_region``).
    """
    data: dict = {"region": export_region()}
    for provider in portal.personal_data_providers():
        for section, rows in provider.export_for(user).items():
            if section in data:
                raise ValueError(f"{provider.app_label} exports {section!r}, which another app already exports")
            data[section] = rows
    return data
