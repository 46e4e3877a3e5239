"""What ``accounts`` holds about a person: the account, its addresses and authenticators, and the admin's
log lines about it. The account itself is deleted by ``accounts.services.user_delete``."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
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
    }


def erase(user: User) -> dict:
    """The admin's log keeps what coordinators did; a line about the account loses the person's
    name and address (``object_repr`` is the account's name or address), and every line its address."""
    about = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    lines = about.update(object_repr="–")
    lines += scrub_addresses(LogEntry.objects.all(), ["object_repr", "change_message"], addresses_of(user=user))
    return {"admin_log_lines": lines}
