"""Who may see what is not public yet: THE draft gate, and who may download a private file.

One rule for every app: content that is not public (an unpublished challenge, an organisation not
listed publicly, a draft meeting's or agreement's documents, an answer's attachment before it is
public) is shown to

- everyone once it is public;
- its owners, where the caller names them (the raiser of a challenge, the representatives of the
  organisation that wrote an answer);
- staff of the region in force (a superuser, or a coordinator of THAT region: staff of another
  region see what the public sees) who passed the second factor (``second_factor_passed``), with the
  view permission the caller names;

and is 404 for everyone else: no hint that it exists, and no difference between "not there" and
"not for you". Staff who have not set up the second factor while ``STAFF_REQUIRE_MFA`` is on see
exactly what the public sees; the staff-only views (``accounts.decorators.staff_required``) and the
admin send them to set it up, with the same ``second_factor_passed``.

``core`` imports no app: the rule takes plain values (is it public? is this person an owner?), and
each app's selector or view says what they are for its content.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from core.files import file_response

# Remembered on the user object for one request: a page may ask several times.
_CACHE_ATTRIBUTE = "_core_access_second_factor"


def has_second_factor(user) -> bool:
    """Whether ``user`` has an authenticator app (TOTP).

    allauth's login asks every user who has one for its code before the session is logged in
    (``allauth.mfa``'s authentication stage), and activating one needs a valid code, so a
    session of such a user has passed the second factor.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def second_factor_passed(user) -> bool:
    """Whether staff ``user`` meets the second-factor rule: always when ``STAFF_REQUIRE_MFA`` is off."""
    return not settings.STAFF_REQUIRE_MFA or has_second_factor(user)


def is_staff_with_second_factor(user, permission: str | None = None) -> bool:
    """Active staff of the region in force (``core.permissions.is_region_staff``) who passed the second
    factor (and hold ``permission``, when one is named)."""
    from core.permissions import is_region_staff

    if not is_region_staff(user):
        return False
    if permission and not user.has_perm(permission):
        return False
    return second_factor_passed(user)


def may_see(user, *, public: bool, permission: str | None = None, owner: bool = False) -> bool:
    """THE draft gate as a predicate: public, or the owner, or staff with the second factor.

    ``owner`` is the caller's answer to "is this person one of the content's owners"; pass a
    callable to have it asked only when needed (it may cost a query).
    """
    if public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if is_staff_with_second_factor(user, permission):
        return True
    return bool(owner() if callable(owner) else owner)


def draft_gate(user, *, public: bool, permission: str | None = None, owner: bool = False) -> None:
    """Raise Http404 unless ``user`` may see the content (see ``may_see``)."""
    if not may_see(user, public=public, permission=permission, owner=owner):
        raise Http404


def private_file_response(
    request,
    fieldfile,
    *,
    public: bool,
    permission: str | None = None,
    owner: bool = False,
    filename: str | None = None,
):
    """Serve a stored file by the draft gate: to anyone once ``public`` (shared caches may keep it),
    otherwise only to owners and staff with the second factor, never stored by a cache; 404 else."""
    draft_gate(request.user, public=public, permission=permission, owner=owner)
    return file_response(fieldfile, filename=filename, private=not public)
