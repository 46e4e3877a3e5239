from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.registry import portal

from . import services
from .models import Notification, Preference


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@login_required
@require_POST
def follow_toggle(request):
    """Follow or stop following (``action`` = follow | unfollow) the object ``kind`` + ``key``; back to the page."""
    kind, key = request.POST.get("kind", ""), request.POST.get("key", "")
    obj = services.followed_object(kind, key)
    label = portal.followable_kind(kind).label
    if request.POST.get("action") == "unfollow":
        services.unfollow(user=request.user, kind=kind, obj=obj)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": obj})
    else:
        services.follow(user=request.user, kind=kind, obj=obj)
        messages.success(request, _("You now follow %(name)s (%(kind)s).") % {"name": obj, "kind": label})
    return _back(request, reverse("accounts:mypages"))


@login_required
@require_POST
def unfollow_by_id(request, pk):
    from .models import Follow

    follow = get_object_or_404(Follow, pk=pk, user=request.user)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": follow})
    follow.delete()
    return HttpResponseRedirect(reverse("accounts:mypages") + "#follows-title")


@login_required
@require_POST
def preference(request):
    choice = request.POST.get("email", "")
    if choice not in Preference.Email.values:
        messages.error(request, _("Choose how you want to be told by e-mail."))
    else:
        services.preference_set(user=request.user, email=choice)
        messages.success(request, _("Your e-mail choice is saved."))
    return HttpResponseRedirect(reverse("accounts:mypages") + "#notifications-title")


@login_required
@require_POST
def mark_read(request):
    mine = Notification.objects.filter(user=request.user, read_at__isnull=True)
    pk = request.POST.get("id", "")
    if pk.isdigit():
        mine = mine.filter(pk=int(pk))
    elif pk != "all":
        mine = mine.none()
    mine.update(read_at=timezone.now())
    return HttpResponseRedirect(reverse("accounts:mypages") + "#notifications-title")


@csrf_exempt  # the signed token is the proof; RFC 8058 one-click POSTs come without a form token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page to confirm; POST (the button, or a mail provider's one-click): stop that kind of e-mail."""
    found = services.unsubscribe_read(token)
    user = None
    if found is not None:
        user = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind = found[1]
    if request.method == "POST":
        if services.preference_of(user) != Preference.Email.NONE:
            services.preference_set(user=user, email=Preference.Email.NONE)
        return render(request, "notifications/unsubscribe_done.html", {"kind": kind})
    return render(request, "notifications/unsubscribe_confirm.html", {"kind": kind, "token": token})
