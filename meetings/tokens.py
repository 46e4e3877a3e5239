"""Signed, unguessable links to a registration's manage page (HMAC with SECRET_KEY, no table needed)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "meetings.registration.manage"


def registration_token(registration) -> str:
    return signing.dumps({"r": registration.pk, "e": registration.email.lower()}, salt=_SALT, compress=True)


def registration_from_token(token: str):
    """The registration a token points to, or None for a forged, altered or stale token."""
    from .models import Registration

    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    registration = Registration.objects.select_related("meeting", "organisation").filter(pk=data.get("r")).first()
    if registration is None or registration.email.lower() != data.get("e"):
        return None
    return registration


def manage_url(registration, *, absolute: bool = True) -> str:
    path = reverse("meetings:manage", kwargs={"token": registration_token(registration)})
    return f"{settings.SITE_URL}{path}" if absolute else path
