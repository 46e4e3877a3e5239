from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from accounts import assurance
from core.case_numbers import CASE_NUMBER_PARAM, case_number_filtered
from core.translated import translated
from organisations.mandate_views import mandate_needed

from . import permissions, selectors, services
from .cache import pages
from .forms import BallotForm, CandidateAnswerForm, NominationForm
from .models import SelectionRound


def _public_round(slug) -> SelectionRound:
    return get_object_or_404(SelectionRound.objects.public().select_related("agreement"), slug=slug)


def _next_date(rounds, now=None):
    """The next moment a round's phase changes by its dates alone: no cached page outlives it."""
    now = now or timezone.now()
    dates = [
        value
        for r in rounds
        for value in (r.nomination_opens, r.nomination_closes, r.voting_opens, r.voting_closes)
        if value > now
    ]
    return min(dates, default=None)


def round_list(request):
    """Every public round; cached whole for anonymous visitors (the rounds' writes move it on)."""
    shown = {}

    def build(request):
        shown["rounds"] = SelectionRound.objects.public().only(
            "nomination_opens", "nomination_closes", "voting_opens", "voting_closes"
        )
        return _round_list_page(request)

    return pages.cached_page(
        request,
        page="list",
        params=[CASE_NUMBER_PARAM],
        build=build,
        valid_until=lambda: _next_date(shown.get("rounds", [])),
    )


def _round_list_page(request):
    rounds = SelectionRound.objects.public().select_related("agreement").order_by("-voting_closes")
    rounds, filtered = case_number_filtered(request, rounds)
    return render(request, "elections/round_list.html", {"rounds": rounds, **filtered})


def round_detail(request, slug):
    """A round's page: cached whole for anonymous visitors; a representative sees their own ballots."""
    shown = {}

    def build(request):
        shown["round"] = _public_round(slug)
        return _round_page(request, shown["round"])

    return pages.cached_page(
        request,
        page="detail",
        parts=[slug],
        build=build,
        valid_until=lambda: _next_date([shown["round"]]) if "round" in shown else None,
    )


def _round_page(request, selection_round):
    context = {
        "round": selection_round,
        "turnout": selectors.turnout(round=selection_round),
        "acting_for": [],
    }
    if selection_round.candidates_public:
        context["candidates"] = (
            selectors.result(round=selection_round)
            if selection_round.status == SelectionRound.Status.PUBLISHED
            else list(selectors.standing_candidates(round=selection_round))
        )
    if request.user.is_authenticated:
        organisations = selectors.organisations_user_acts_for(round=selection_round, user=request.user)
        context["acting_for"] = [
            {"organisation": o, "cast": selectors.cast_for(round=selection_round, organisation=o)}
            for o in organisations
        ]
    return render(request, "elections/round_detail.html", context)


def nomination_rate(group, request):
    """Nomination form POSTs per user (ELECTIONS_NOMINATION_RATE); each valid one e-mails a candidate."""
    return settings.ELECTIONS_NOMINATION_RATE


def _organisation_limited(request, organisation) -> bool:
    """Nominations per nominating organisation (ELECTIONS_NOMINATION_ORGANISATION_RATE), whoever of its
    representatives sends them; counted only once the form has shown the user acts for it."""
    return is_ratelimited(
        request,
        group="elections.nominate.organisation",
        key=lambda group, request: str(organisation.pk),
        rate=settings.ELECTIONS_NOMINATION_ORGANISATION_RATE,
        method="POST",
        increment=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=nomination_rate, method="POST", block=False)
def nominate(request, slug):
    selection_round = _public_round(slug)
    acting_for = selectors.organisations_user_acts_for(round=selection_round, user=request.user)
    if not acting_for:
        raise PermissionDenied
    if not selection_round.nominations_open_now():
        messages.error(request, _("Nominations are not open in this round."))
        return redirect(selection_round)
    eligible = selectors.eligible_organisations(round=selection_round).order_by("name")
    acting_qs = eligible.filter(pk__in=[o.pk for o in acting_for])
    form = NominationForm(request.POST or None, acting_for=acting_qs, eligible=eligible)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(
                request, _("Too many nominations in a short time. Wait a while and try again; what you typed is kept.")
            )
            status = 429
        elif form.is_valid() and _organisation_limited(request, form.cleaned_data["nominating_organisation"]):
            messages.error(
                request,
                _(
                    "Your organisation has made many nominations in a short time. Wait a while and try again; "
                    "what you typed is kept."
                ),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                nomination = services.nomination_create(
                    round=selection_round,
                    user=request.user,
                    nominating_organisation=data["nominating_organisation"],
                    candidate_organisation=data["candidate_organisation"],
                    candidate_name=data["candidate_name"],
                    candidate_title=data["candidate_title"],
                    candidate_email=data["candidate_email"],
                    presentation=data["presentation"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("%(name)s is nominated. We have sent them a link to accept or decline.")
                    % {"name": nomination.candidate_name},
                )
                return redirect(selection_round)
        else:
            status = 400
    return render(request, "elections/nominate.html", {"round": selection_round, "form": form}, status=status)


def _add_errors(form, exc: ValidationError):
    """A service's refusal shown in the form: by field where it names one, else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="20/m", method="POST", block=False)
def candidate_answer(request, token):
    nomination = services.nomination_from_token(token)
    if nomination is None:
        raise Http404
    selection_round = nomination.round
    form = CandidateAnswerForm(request.POST or None)
    open_now = selection_round.nominations_open_now()
    status = 200
    if request.method == "POST" and not getattr(request, "limited", False) and form.is_valid():
        changed = services.nomination_respond(nomination=nomination, accept=form.cleaned_data["answer"] == "accept")
        if changed:
            messages.success(request, _("Thank you, your answer is recorded."))
        else:
            messages.info(request, _("This nomination has already been answered or can no longer be changed."))
        return redirect("elections:candidate", token=token)
    if request.method == "POST":
        status = 429 if getattr(request, "limited", False) else 400
    nomination.refresh_from_db()
    return render(
        request,
        "elections/candidate_answer.html",
        {"nomination": nomination, "round": selection_round, "form": form, "open_now": open_now},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, slug, organisation_id):
    selection_round = _public_round(slug)
    acting_for = {o.pk: o for o in selectors.organisations_user_acts_for(round=selection_round, user=request.user)}
    organisation = acting_for.get(organisation_id)
    if organisation is None:
        raise PermissionDenied
    cast = selectors.cast_for(round=selection_round, organisation=organisation)
    candidates = list(selectors.standing_candidates(round=selection_round))
    if cast or not selection_round.voting_open_now():
        if request.method == "POST" and not cast:
            messages.error(request, _("Voting is not open in this round."))
        return render(
            request,
            "elections/vote.html",
            {"round": selection_round, "organisation": organisation, "cast": cast, "candidates": candidates},
            status=409 if (request.method == "POST" and cast) else 200,
        )
    if not permissions.may_vote(request.user, selection_round, organisation):
        # A representative without a mandate: the clear page, for GET and POST alike (nothing is done).
        return mandate_needed(
            request,
            act="cast_ballot",
            organisations=[organisation],
            heading=str(translated(selection_round, "title")),
            back_url=selection_round.get_absolute_url(),
            back_label=_("Back to the round"),
        )
    if request.method == "GET":
        # With e-ID configured for the region, the e-ID confirmation comes before the ballot is shown.
        page = _stepup_page(request, selection_round)
        if page is not None:
            return page
    form = BallotForm(request.POST or None, round=selection_round, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            response, status = _vote_valid_post(request, selection_round, organisation, form, candidates)
            if response is not None:
                return response
        else:
            status = 400
    return render(
        request,
        "elections/vote.html",
        {"round": selection_round, "organisation": organisation, "form": form, "candidates": candidates},
        status=status,
    )


def _stepup_page(request, selection_round, *, text=""):
    return assurance.stepup_page(
        request,
        getattr(request, "region", None),
        heading=str(translated(selection_round, "title")),
        back_url=selection_round.get_absolute_url(),
        text=text,
    )


def _vote_valid_post(request, selection_round, organisation, form, candidates):
    """A valid ballot: the e-ID step-up, then the ballot cast. Returns ``(response, None)``, or
    ``(None, status)`` when the form is shown again with its errors."""
    # The e-ID window may end while the ballot is filled in. Unlike other acts the POST is not kept for a
    # replay after the e-ID login: it would lie in the session table, readable there beside the person's id.
    # Nothing is cast; the person confirms with e-ID and chooses again.
    stepup = _stepup_page(
        request,
        selection_round,
        text=_(
            "Your e-ID confirmation is more than %(minutes)s minutes old, so the ballot was not cast, and your "
            "choices were not kept. Confirm with e-ID, then make your choices again."
        )
        % {"minutes": int(assurance.STEPUP_WINDOW.total_seconds() // 60)},
    )
    if stepup is not None:
        return stepup, None
    try:
        services.ballot_cast(
            round=selection_round,
            user=request.user,
            organisation=organisation,
            nomination_ids=form.cleaned_data["candidates"],
            authentication=assurance.describe(request),
        )
    except services.AlreadyVotedError as exc:
        cast_page = render(
            request,
            "elections/vote.html",
            {
                "round": selection_round,
                "organisation": organisation,
                "cast": exc.cast,
                "candidates": candidates,
            },
            status=409,
        )
        return cast_page, None
    except ValidationError as exc:
        _add_errors(form, exc)
        return None, 400
    else:
        messages.success(
            request,
            _("The ballot of %(organisation)s is cast. Thank you!") % {"organisation": organisation.name},
        )
        return redirect(selection_round), None


def mypages_context(request) -> dict:
    return {"election_rounds": selectors.rounds_for_user(user=request.user)}


def home_context(request) -> dict:
    return {"running_rounds": selectors.running_rounds()}
