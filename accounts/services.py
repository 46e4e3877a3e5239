"""Writes on accounts that carry a rule (see CONVENTIONS.md: keyword-only, typed, atomic)."""

import logging

from allauth.mfa.models import Authenticator
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
