from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Where a staff member was going when sent to set up TOTP; read by accounts.signals to lead back.
STAFF_MFA_NEXT_SESSION_KEY = "accounts.staff_mfa_next"


class StaffMFAMiddleware:
    """With STAFF_REQUIRE_MFA on, a staff user without TOTP is sent to set it up before the admin opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and request.path.startswith(reverse("admin:index")):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_staff and not _has_totp(user):
                messages.warning(
                    request,
                    _("Staff must use two-factor authentication: set up an authenticator app to continue."),
                )
                request.session[STAFF_MFA_NEXT_SESSION_KEY] = request.get_full_path()
                return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.path})}")
        return self.get_response(request)


def _has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
