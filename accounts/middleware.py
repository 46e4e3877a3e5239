from urllib.parse import urlencode

from django.contrib import messages
from django.core.signals import setting_changed
from django.shortcuts import redirect
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from core.access import second_factor_passed
from core.permissions import may_use_admin

# Where a staff member was going when sent to set up TOTP; read by accounts.signals to lead back.
STAFF_MFA_NEXT_SESSION_KEY = "accounts.staff_mfa_next"
# Set on a view (function, or class of a class-based view) by accounts.decorators.staff_required
# and StaffRequiredMixin: the view needs staff rights, so it needs the second factor as the admin does.
STAFF_ONLY_ATTRIBUTE = "staff_only"


def is_staff_only_view(view_func) -> bool:
    view_class = getattr(view_func, "view_class", None)
    return bool(getattr(view_func, STAFF_ONLY_ATTRIBUTE, False) or getattr(view_class, STAFF_ONLY_ATTRIBUTE, False))


def staff_mfa_redirect(request):
    """The redirect to TOTP setup for a staff user of the host's region without it when STAFF_REQUIRE_MFA
    is on (or a system administrator), else None (staff of another region are ordinary visitors here:
    the admin refuses them)."""
    user = getattr(request, "user", None)
    if user is None or not may_use_admin(user) or second_factor_passed(user):
        return None
    messages.warning(
        request,
        _("Staff must use two-factor authentication: set up an authenticator app to continue."),
        fail_silently=True,
    )
    request.session[STAFF_MFA_NEXT_SESSION_KEY] = request.get_full_path()
    return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.path})}")


# The admin's address (after the script prefix) per URLconf: reversed once, not on every request.
_admin_paths: dict[str | None, str] = {}


def _forget_admin_paths(*, setting, **_kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _admin_paths.clear()


setting_changed.connect(_forget_admin_paths, dispatch_uid="accounts.middleware.admin_paths")


def admin_path(request) -> str:
    """``/admin/`` (the admin's index, without the script prefix): compared with ``path_info``."""
    urlconf = getattr(request, "urlconf", None)
    found = _admin_paths.get(urlconf)
    if found is None:
        found = _admin_paths[urlconf] = reverse("admin:index", urlconf=urlconf)[len(get_script_prefix()) - 1 :]
    return found


class StaffMFAMiddleware:
    """With STAFF_REQUIRE_MFA on, a staff user without TOTP is sent to set it up before any staff-only
    page opens: everything under the admin, and every view marked by ``staff_required``/``StaffRequiredMixin``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(admin_path(request)):
            response = staff_mfa_redirect(request)
            if response is not None:
                return response
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_staff_only_view(view_func):
            return staff_mfa_redirect(request)
        return None
