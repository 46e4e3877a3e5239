from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import parse_id, parse_int
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
    who = request.POST.get("for", "")
    organisation_id = None if who in ("", "me") else parse_id(who)
    if who not in ("", "me") and organisation_id is None:
        raise Http404
    names = {
        "name": obj,
        "kind": label,
        "organisation": services.organisations_to_follow_for(request.user).get(organisation_id),
    }
    if request.POST.get("action") == "unfollow":
        services.unfollow(user=request.user, kind=kind, obj=obj, organisation_id=organisation_id)
        text = (
            _("%(organisation)s no longer follows %(name)s.")
            if organisation_id
            else _("You no longer follow %(name)s.")
        )
    else:
        services.follow(user=request.user, kind=kind, obj=obj, organisation_id=organisation_id)
        text = (
            _("%(organisation)s now follows %(name)s (%(kind)s): its representatives are told.")
            if organisation_id
            else _("You now follow %(name)s (%(kind)s).")
        )
    messages.success(request, text % names)
    return _back(request, reverse("accounts:mypages"))


@login_required
@require_POST
def unfollow_by_id(request, pk):
    follow = services.follow_remove(user=request.user, follow_id=pk)
    if follow.organisation_id:
        text = _("%(organisation)s no longer follows %(name)s.")
    else:
        text = _("You no longer follow %(name)s.")
    messages.success(request, text % {"name": follow, "organisation": follow.organisation_name})
    return HttpResponseRedirect(reverse("accounts:mypages") + "#follows-title")


def _choice(value: str, top: int) -> int | None:
    """A day (0-6) or an hour (0-23) from the form; empty: the region's; anything else: invalid (-1)."""
    if value == "":
        return None
    number = parse_int(value, minimum=0, maximum=top)
    return -1 if number is None else number


@login_required
@require_POST
def preference(request):
    choice = request.POST.get("email", "")
    weekday, hour = _choice(request.POST.get("weekday", ""), 6), _choice(request.POST.get("hour", ""), 23)
    if choice not in Preference.Email.values:
        messages.error(request, _("Choose how you want to be told by e-mail."))
    elif weekday == -1 or hour == -1:
        messages.error(request, _("Choose a day of the week and an hour from the lists."))
    else:
        services.preference_set(user=request.user, email=choice, weekday=weekday, hour=hour)
        messages.success(request, _("Your e-mail choice is saved."))
    return HttpResponseRedirect(reverse("accounts:mypages") + "#notifications-title")


@login_required
@require_POST
def mark_read(request):
    mine = Notification.objects.filter(user=request.user, read_at__isnull=True)
    pk = request.POST.get("id", "")
    if pk != "all":
        number = parse_id(pk)
        mine = mine.none() if number is None else mine.filter(pk=number)
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
            services.preference_email_set(user=user, email=Preference.Email.NONE)
        return render(request, "notifications/unsubscribe_done.html", {"kind": kind})
    return render(request, "notifications/unsubscribe_confirm.html", {"kind": kind, "token": token})
