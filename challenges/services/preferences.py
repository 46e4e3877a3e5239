"""A person's choice whether to get e-mails about challenge news."""

from ..models import EmailPreference


def email_preference_set(*, user, updates: bool) -> EmailPreference:
    """Turn the e-mails about challenge news on or off for a person."""
    preference, _created = EmailPreference.objects.update_or_create(user=user, defaults={"updates": bool(updates)})
    return preference


def email_preference_get(*, user) -> bool:
    """Whether the person gets e-mails about challenge news (yes unless they turned them off)."""
    return not EmailPreference.objects.filter(user=user, updates=False).exists()
