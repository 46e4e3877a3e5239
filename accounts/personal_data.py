"""What ``accounts`` holds about a person: the account, its addresses and authenticators, its e-ID links, and
the admin's log lines about it. The account itself is deleted by ``accounts.services.user_delete``.

An e-ID link (allauth's SocialAccount, accounts/eid.py) holds the provider (the region's e-ID), the keyed hash
of the person number as ``uid`` (never the number), when it was linked and last used, and a few claims of the
last login (``extra_data``: issuer, subject, level, name, e-mail). It is exported whole and deleted with the
account (its foreign key cascades); no tokens are stored."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from core.personal_data import addresses_of, linked_rows, scrub_addresses

from .models import User

ACCOUNT_FIELDS = ["email", "full_name", "phone", "language", "is_staff", "date_joined", "last_login"]


def export(user: User) -> dict:
    return {
        "account": {name: getattr(user, name) for name in ACCOUNT_FIELDS},
        "account.EmailAddress": linked_rows(EmailAddress, user),
        # The secret stays in the database, even for its owner.
        "mfa.Authenticator": linked_rows(Authenticator, user, hidden={"data"}),
        "socialaccount.SocialAccount": linked_rows(SocialAccount, user),
    }


def erase(user: User) -> dict:
    """The admin's log keeps what coordinators did; a line about the account loses the person's
    name and address (``object_repr`` is the account's name or address), and every line its address."""
    about = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    lines = about.update(object_repr="–")
    lines += scrub_addresses(LogEntry.objects.all(), ["object_repr", "change_message"], addresses_of(user=user))
    return {"admin_log_lines": lines}
