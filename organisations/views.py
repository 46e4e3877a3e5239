import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from . import selectors, services
from .cache import DIRECTORY_PARAMS, pages
from .filters import OrganisationDirectoryFilter
from .forms import InterestForm, OrganisationProfileForm
from .models import Organisation
from .permissions import can_edit_profile

logger = logging.getLogger(__name__)

PAGE_SIZE = 20


def interest_rate(group, request):
    """POSTs per minute and client IP on the interest form: enough for a person correcting typing
    errors or registering a few organisations, too few for a flood (the honeypot catches the rest)."""
    return settings.ORGANISATIONS_INTEREST_RATE


THANKS_SESSION_KEY = "organisations_interest_thanks"


def directory(request):
    """The public directory with search, filters and pages. Anonymous visitors get the whole page from
    the cache (per language and the parameters it reads); the body holds nothing personal, so it is
    cached for logged-in visitors too, until an organisation's public data changes."""
    return pages.cached_page(request, page="directory", params=DIRECTORY_PARAMS, build=_directory_page)


def _directory_page(request):
    return pages.render(
        request,
        "organisations/organisation_list.html",
        page="directory",
        params=DIRECTORY_PARAMS,
        body="organisations/_directory_body.html",
        build=lambda: _directory_context(request),
    )


def _directory_context(request) -> dict:
    filterset = OrganisationDirectoryFilter(request.GET or None, queryset=selectors.organisation_directory_queryset())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page_obj": page, "querystring": query.urlencode(), "is_filtered": bool(query)}


def detail(request, slug):
    """An organisation's profile. Anonymous visitors only ever see public organisations and no edit
    link, so their page is cached per language until the organisation's public data changes; a
    representative or coordinator (who may see more, and an edit link) always gets a fresh page."""
    return pages.cached_page(request, page="detail", parts=[slug], build=lambda request: _detail_page(request, slug))


def _detail_page(request, slug):
    # A logged-in visitor may see more (an unlisted organisation they represent, an edit link): their
    # body is built for them alone.
    return pages.render(
        request,
        "organisations/organisation_detail.html",
        page="detail",
        parts=[slug],
        body="organisations/_detail_body.html",
        build=lambda: _detail_context(request, slug),
        keep=lambda context: {
            "title": context["organisation"].name,
            "description": context["organisation"].description or context["organisation"].name,
        },
        shared=not request.user.is_authenticated,
    )


def _detail_context(request, slug) -> dict:
    organisation = selectors.organisation_for_detail(slug=slug, user=request.user)
    if organisation is None:
        raise Http404
    return {
        "organisation": organisation,
        "is_public": organisation.status == Organisation.Status.VERIFIED and organisation.public_listing,
        "can_edit": can_edit_profile(request.user, organisation),
    }


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=interest_rate, method="POST", block=False)
def interest(request):
    initial = {}
    if request.user.is_authenticated:
        initial = {"contact_name": request.user.full_name, "contact_email": request.user.email}
    form = InterestForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            # Keep everything typed: show the bound form again with a message, nothing stored.
            messages.error(
                request,
                _(
                    "Too many submissions from your connection in a short time. Wait a minute and send the form again. Everything you typed is kept."
                ),
            )
            status = 429
        elif form.is_bot():
            logger.info("interest form: honeypot filled, submission dropped")
            return redirect("organisations:thanks")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                submission = services.interest_submit(
                    organisation_name=data["organisation_name"],
                    organisation_number=data["organisation_number"],
                    legal_form=data["legal_form"],
                    municipality=data["municipality"],
                    areas=list(data["areas"]),
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    contact_role=data["contact_role"],
                    wants_dialogue_meetings=data["wants_dialogue_meetings"],
                    wants_present_example=data["wants_present_example"],
                    wants_further_work=data["wants_further_work"],
                    wants_raise_challenge=data["wants_raise_challenge"],
                    message=data["message"],
                    wants_public_listing=data["wants_public_listing"],
                    consent=data["consent"],
                    language=translation.get_language() or "sv",
                    idempotency_key=data["idempotency_key"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                # The name as typed: a known number may belong to an organisation that is not public.
                request.session[THANKS_SESSION_KEY] = {
                    "organisation": submission.submitted_organisation_name,
                    "email": submission.contact.email,
                }
                return redirect("organisations:thanks")
        else:
            status = 400
    return render(request, "organisations/interest_form.html", {"form": form}, status=status)


def thanks(request):
    return render(
        request, "organisations/interest_thanks.html", {"sent": request.session.pop(THANKS_SESSION_KEY, None)}
    )


@require_http_methods(["GET", "POST"])
def edit(request, slug):
    # Rights before the lookup: an anonymous visitor is asked to log in whether or not the slug
    # exists, and an organisation the user may not see answers 404 like an unknown one.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.organisation_for_detail(slug=slug, user=request.user)
    if organisation is None:
        raise Http404
    if not can_edit_profile(request.user, organisation):
        raise PermissionDenied
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_profile_update(
                organisation=organisation,
                user=request.user,
                description=data["description"],
                website=data["website"],
                areas=list(data["areas"]),
                municipality=data["municipality"],
                public_listing=data["public_listing"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The profile of %(name)s was saved.") % {"name": organisation.name})
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "organisations/organisation_edit.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )
