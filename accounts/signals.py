"""Receivers of allauth's signals."""

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib import messages
from django.dispatch import receiver
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .middleware import STAFF_MFA_NEXT_SESSION_KEY


@receiver(authenticator_added, dispatch_uid="accounts.staff_mfa_return_link")
def staff_mfa_return_link(sender, request, user, authenticator, **kwargs):
    """Sent by allauth.mfa when an authenticator is added (TOTP activation).

    A staff member sent from the admin to set up TOTP (see StaffMFAMiddleware) lands on allauth's
    recovery-codes page afterwards; a message there links back to where they were going.
    """
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    next_url = request.session.pop(STAFF_MFA_NEXT_SESSION_KEY, None)
    if not next_url or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Two-factor authentication is on. Save your recovery codes somewhere safe, then"),
            next_url,
            _("continue to the administration"),
        ),
    )
