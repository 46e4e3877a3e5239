"""The one way to mark a view as staff-only: staff rights, optional permissions, and the second factor.

``StaffMFAMiddleware`` recognises views marked here and applies the same TOTP rule as for the admin; the
decorator applies it too, so a view stays protected if the middleware were ever left out.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.permissions import is_region_staff

from .middleware import STAFF_ONLY_ATTRIBUTE, staff_mfa_redirect


def _permissions(permission) -> tuple[str, ...]:
    if permission is None:
        return ()
    if isinstance(permission, str):
        return (permission,)
    return tuple(permission)


def check_staff_access(request, permissions=()):
    """None when the request may open a staff-only view, else the response to send instead.

    Anonymous visitors go to the login page, staff without the required second factor to TOTP setup;
    signed-in users who are not staff of the host's region (a superuser, or a coordinator of that region:
    ``core.permissions.is_region_staff``), or lack one of ``permissions``, get 403.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_region_staff(user):
        raise PermissionDenied
    response = staff_mfa_redirect(request)
    if response is not None:
        return response
    if permissions and not user.has_perms(permissions):
        raise PermissionDenied
    return None


def staff_required(view_func=None, *, permission=None):
    """Decorate a function view that only staff may open; ``permission`` is one permission or several.

    ``@staff_required`` or ``@staff_required(permission="agreements.view_signatory")``.
    """
    permissions = _permissions(permission)

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            response = check_staff_access(request, permissions)
            if response is not None:
                return response
            return func(request, *args, **kwargs)

        setattr(wrapper, STAFF_ONLY_ATTRIBUTE, True)
        return wrapper

    if view_func is not None:
        return decorator(view_func)
    return decorator


class StaffRequiredMixin:
    """The class-based form of ``staff_required``; set ``staff_permission`` for permissions."""

    staff_only = True
    staff_permission = None

    def dispatch(self, request, *args, **kwargs):
        response = check_staff_access(request, _permissions(self.staff_permission))
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)
