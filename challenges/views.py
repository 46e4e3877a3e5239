"""Public challenge pages, raising a challenge, joining and leaving, documents and the e-mail preference.

The list and each public challenge's body are cached for everyone (they hold nothing personal);
what depends on the visitor (the "we want to take part" panel) is rendered outside the cache.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from core.files import file_response
from core.translated import translated

from . import permissions, selectors, services
from .cache import LIST_PARAMS, pages
from .forms import ChallengeFilterForm, ChallengeRaiseForm, EmailPreferenceForm, JoinForm
from .models import Challenge, ChallengeDocument, Participation

logger = logging.getLogger(__name__)

PAGE_SIZE = 12


def form_rate(group, request):
    """POSTs per minute and client IP on the challenge forms, as on the other public forms."""
    return getattr(settings, "CHALLENGES_FORM_RATE", "10/m")


def _too_many(request):
    messages.error(
        request,
        _(
            "Too many submissions from your connection in a short time. Wait a minute and send the form again. "
            "Everything you typed is kept."
        ),
    )


@require_GET
def challenge_list(request):
    """Accepted and later challenges with filters, search and pages; cached whole per known parameter."""
    return pages.cached_page(request, page="list", params=LIST_PARAMS, build=_list_page)


def _list_page(request):
    options = selectors.filter_options()
    form = ChallengeFilterForm(request.GET or None, **options)
    filters = (
        form.filters() if request.GET else {"q": "", "status": "", "area": None, "municipality": None, "raised_by": ""}
    )
    page = Paginator(selectors.challenge_list_public(**filters), PAGE_SIZE).get_page(request.GET.get("page") or 1)
    known = {name: value for name, value in request.GET.items() if name in LIST_PARAMS and name != "page" and value}
    context = {"form": form, "page_obj": page, "querystring": urlencode(known), "is_filtered": bool(known)}
    return render(request, "challenges/challenge_list.html", context)


def _detail_context(challenge: Challenge) -> dict:
    shown, hidden = selectors.public_participations(challenge)
    now = timezone.now()
    meetings = list(challenge.meetings.all())
    upcoming = [m for m in meetings if m.end >= now]
    past = sorted((m for m in meetings if m.end < now), key=lambda m: m.start, reverse=True)
    linked_talks = {item.pk for item in challenge.programme_items.all()}
    for meeting in meetings:
        meeting.places = meeting.places_left(meeting.confirmed_count)
        meeting.state = meeting.registration_state(confirmed=meeting.confirmed_count, now=now)
        meeting.talks = [item for item in meeting.programme_items.all() if item.pk in linked_talks]
    context = {
        "challenge": challenge,
        "participations": shown,
        "hidden_participants": hidden,
        "upcoming_meetings": upcoming,
        "past_meetings": past,
        "updates": list(challenge.updates.all()),
        "documents": list(challenge.documents.all()),
        "actions": list(challenge.actions.all()),
    }
    return context


def _participation_panel(request, challenge: Challenge, join_form=None) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"anonymous": True}
    organisations = list(permissions.organisations_user_can_act_for(user))
    mine = [p for p in challenge.participations.all() if p.organisation_id in {o.pk for o in organisations}]
    joined_ids = {p.organisation_id for p in mine}
    free = permissions.organisations_user_can_act_for(user).exclude(pk__in=joined_ids)
    can_join = challenge.is_open_for_joining and free.exists()
    if join_form is None and can_join:
        join_form = JoinForm(organisations=free)
    return {
        "anonymous": False,
        "is_representative": bool(organisations),
        "mine": mine,
        "join_form": join_form if can_join else None,
        "is_coordinator": permissions.is_coordinator(user),
    }


def challenge_detail(request, slug):
    """One challenge. A public challenge is cached whole for anonymous visitors and its body for
    everyone; a proposed or declined one is shown only to its raiser and the coordinators (404 for
    anyone else)."""
    return pages.cached_page(request, page="detail", parts=[slug], build=lambda request: _detail_page(request, slug))


def _detail_page(request, slug):
    challenge = selectors.challenge_for_detail(slug=slug, user=request.user)
    # A proposed or declined challenge (seen by its raiser and the coordinators only) is never shared.
    return pages.render(
        request,
        "challenges/challenge_detail.html",
        page="detail-body",
        parts=[slug],
        body="challenges/_detail_body.html",
        build=lambda: _detail_context(challenge),
        shared=challenge.is_public,
        context={
            "title": str(translated(challenge, "title")),
            "summary": str(translated(challenge, "summary")),
            "slug": slug,
            "challenge": challenge,
            "panel": _participation_panel(request, challenge),
        },
    )


@ratelimit(key="ip", rate=form_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def challenge_raise(request):
    """The public form: a representative of a verified organisation raises a challenge (→ proposed)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = permissions.organisations_user_can_act_for(request.user)
    if not organisations.exists():
        return render(request, "challenges/raise_not_allowed.html", status=403)
    form = ChallengeRaiseForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            _too_many(request)
            status = 429
        elif form.is_bot():
            logger.info("challenge form: honeypot filled, submission dropped")
            return redirect("challenges:list")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                challenge = services.challenge_raise(
                    user=request.user,
                    organisation=data["organisation"],
                    title=data["title"],
                    summary=data["summary"],
                    description=data["description"],
                    areas=list(data["areas"]),
                    municipalities=list(data["municipalities"]),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            except PermissionDenied:
                form.add_error("organisation", _("You cannot raise a challenge for this organisation."))
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Thank you! The challenge has been sent to the coordinators. You will get an e-mail when they "
                        "have looked at it."
                    ),
                )
                return redirect(challenge.get_absolute_url())
        else:
            status = 400
    return render(request, "challenges/challenge_raise.html", {"form": form}, status=status)


def _public_challenge(slug) -> Challenge:
    challenge = Challenge.objects.public().filter(slug=slug).first()
    if challenge is None:
        raise Http404
    return challenge


@ratelimit(key="ip", rate=form_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def participation_join(request, slug):
    """ "We want to take part": a representative lets a verified organisation join, with a role."""
    challenge = _public_challenge(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("challenges:join", args=[slug]))
    organisations = permissions.organisations_user_can_act_for(request.user)
    if not organisations.exists():
        return render(request, "challenges/join_not_allowed.html", {"challenge": challenge}, status=403)
    free = organisations.exclude(challenge_participations__challenge=challenge)
    form = JoinForm(request.POST or None, organisations=free)
    status = 200
    if not challenge.is_open_for_joining:
        messages.info(request, _("This challenge is concluded and takes no new participants."))
        return redirect(challenge.get_absolute_url())
    if not free.exists():
        messages.info(request, _("All the organisations you represent already take part in this challenge."))
        return redirect(challenge.get_absolute_url())
    if request.method == "POST":
        if getattr(request, "limited", False):
            _too_many(request)
            status = 429
        elif form.is_valid():
            try:
                participation = services.participation_join(
                    challenge=challenge,
                    organisation=form.cleaned_data["organisation"],
                    user=request.user,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            except PermissionDenied:
                form.add_error("organisation", _("You cannot act for this organisation."))
                status = 400
            else:
                messages.success(
                    request,
                    _("%(organisation)s now takes part in the challenge. You will get its news by e-mail.")
                    % {"organisation": participation.organisation.name},
                )
                return redirect(challenge.get_absolute_url())
        else:
            status = 400
    return render(request, "challenges/join.html", {"challenge": challenge, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def participation_leave(request, slug, pk):
    """A representative takes an organisation out of a challenge (confirmation page, then POST)."""
    participation = get_object_or_404(
        Participation.objects.select_related("challenge", "organisation"), pk=pk, challenge__slug=slug
    )
    if not permissions.can_act_for(request.user, participation.organisation):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.participation_leave(participation=participation, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("%(organisation)s no longer takes part in the challenge.")
                % {"organisation": participation.organisation.name},
            )
            return redirect(participation.challenge.get_absolute_url())
    return render(
        request,
        "challenges/leave.html",
        {"participation": participation, "challenge": participation.challenge, "error": error},
        status=400 if error else 200,
    )


def document(request, slug, pk):
    """A challenge's document, for whoever may see the challenge (404 otherwise)."""
    doc = get_object_or_404(ChallengeDocument.objects.select_related("challenge"), pk=pk, challenge__slug=slug)
    if not permissions.can_see(request.user, doc.challenge):
        raise Http404
    return file_response(doc.file, private=not doc.challenge.is_public)


@login_required
@require_POST
def email_preference(request):
    form = EmailPreferenceForm(request.POST)
    form.is_valid()
    updates = bool(form.cleaned_data.get("updates"))
    services.email_preference_set(user=request.user, updates=updates)
    if updates:
        messages.success(request, _("You will get an e-mail when a challenge you take part in has news."))
    else:
        messages.success(request, _("You will no longer get e-mails about challenge news."))
    return redirect(reverse("accounts:mypages") + "#mypages-challenges-title")
