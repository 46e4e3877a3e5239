"""Signed, unguessable links to a registration's manage page (HMAC with SECRET_KEY, no table needed).

The token names the registration and a keyed digest of its e-mail address (never the address
itself: tokens end up in URLs), so a link stops working if the address is changed. A link works
until the meeting is over plus the retention period (MEETINGS_REGISTRATION_RETENTION_DAYS), when
the registration is anonymised anyway: an old e-mail in a forwarded mailbox opens nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.links import site_url

_SALT = "meetings.registration.manage"


def _email_digest(email: str) -> str:
    return salted_hmac(_SALT, email.lower()).hexdigest()[:16]


def registration_token(registration) -> str:
    return signing.dumps({"r": registration.pk, "e": _email_digest(registration.email)}, salt=_SALT)


def registration_link_expires_at(registration):
    """When the registration's manage link stops working: the meeting's end plus the retention period."""
    return registration.meeting.end + timedelta(days=settings.MEETINGS_REGISTRATION_RETENTION_DAYS)


def registration_from_token(token: str, *, now=None):
    """The registration a token points to, or None for a forged, altered, stale or expired token."""
    from .models import Registration

    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    registration = Registration.objects.select_related("meeting", "organisation").filter(pk=data.get("r")).first()
    if registration is None or _email_digest(registration.email) != data.get("e"):
        return None
    if (now or timezone.now()) > registration_link_expires_at(registration):
        return None
    return registration


def manage_url(registration, *, absolute: bool = True) -> str:
    path = reverse("meetings:manage", kwargs={"token": registration_token(registration)})
    return f"{site_url()}{path}" if absolute else path
