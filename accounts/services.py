"""Writes on accounts that carry a rule (see CONVENTIONS.md: keyword-only, typed, atomic)."""

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

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


UNCONFIRMED_BATCH = 500  # accounts deleted per run at most (the next day's run takes the rest)


def unconfirmed_accounts(*, now=None):
    """Accounts opened more than ``ACCOUNTS_UNCONFIRMED_DAYS`` ago whose e-mail address was never confirmed: never
    logged in (the login needs a confirmed address), not staff, and not linked to an organisation by a coordinator
    (who may be waiting for the person to confirm). An address typed by someone else stays no longer than that."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCOUNTS_UNCONFIRMED_DAYS)
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    links = User._meta.get_field("representative_links").related_model._base_manager.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(date_joined__lt=cutoff, last_login__isnull=True, is_staff=False, is_superuser=False)
        .exclude(Exists(confirmed))
        .exclude(Exists(links))
        .order_by("date_joined", "pk")
    )


def unconfirmed_accounts_purge(*, now=None) -> int:
    """Delete the accounts ``unconfirmed_accounts`` finds (at most ``UNCONFIRMED_BATCH``), each through
    ``user_delete`` so every app erases what it holds first. Returns how many; logged with the count only."""
    deleted = 0
    for user in unconfirmed_accounts(now=now)[:UNCONFIRMED_BATCH]:
        user_delete(user=user)
        deleted += 1
    if deleted:
        logger.info("accounts: %s accounts never confirmed deleted", deleted)
    return deleted
