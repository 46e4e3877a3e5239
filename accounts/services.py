"""Writes on accounts that carry a rule (see CONVENTIONS.md: keyword-only, typed, atomic)."""

import logging

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction

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
def user_delete(*, user: User) -> None:
    """Delete a person's own account for good (GDPR erasure of the account).

    Goes with it: the login, e-mail addresses, authenticators and the links that let the account
    represent organisations. What the person did without an account stays with its owner and
    under that data's own retention rules (meeting sign-ups are anonymised after the meeting,
    signatures belong to the organisation's record); their link to the account becomes empty.
    Staff accounts are removed by an administrator, never by themselves, so that a region cannot
    lock itself out of the admin by accident.
    """
    if user.is_staff or user.is_superuser:
        raise PermissionDenied("Staff accounts are removed by an administrator.")
    user_id = user.pk
    user.delete()
    logger.info("accounts: user %s deleted their account", user_id)
