"""Writes on accounts that carry a rule (see CONVENTIONS.md: keyword-only, typed, atomic)."""

import logging

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.regions import all_regions
from core.registry import portal

from .models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def user_mfa_reset(*, user: User, by: User | None = None) -> int:
    """Remove a user's authenticator app and recovery codes (a lost phone).

    The user sets up two-factor authentication again at the next log-in; a staff user is sent
    there before the admin opens when STAFF_REQUIRE_MFA is on. Returns how many authenticators
    were removed. Logged with ids only.
    """
    deleted, _ = Authenticator.objects.filter(user=user).delete()
    logger.info(
        "accounts: MFA reset for user %s by user %s (%s authenticators)", user.pk, by.pk if by else None, deleted
    )
    return deleted


@transaction.atomic
def user_delete(*, user: User) -> dict:
    """Delete a person's own account for good (GDPR erasure of the account).

    First every app erases what it holds about the person (``portal.personal_data``: sign-ups and
    nominations anonymised, contact rows and e-mail preferences deleted, links to the account and
    the history's record of who acted forgotten, the address scrubbed from the outbox and the
    admin's log), then the account goes with its login, addresses, authenticators and the links
    that let it represent organisations. What organisations did stays theirs (a signature, an
    answer, a nomination's public candidate name), without the person. The account is global, so the
    erasure runs over every region at once (``all_regions``), whichever host it was asked on, disabled
    regions included. All in one transaction: an app that fails leaves everything as it was. Staff accounts are removed by an administrator,
    never by themselves, so that a region cannot lock itself out of the admin by accident.

    Returns what each app erased (counts only), as logged.
    """
    if user.is_staff or user.is_superuser:
        raise PermissionDenied("Staff accounts are removed by an administrator.")
    user_id = user.pk
    with all_regions():
        erased = {provider.app_label: provider.erase_for(user) for provider in portal.personal_data_erasers()}
        user.delete()
    logger.info("accounts: user %s deleted their account; erased %s", user_id, erased)
    return erased
