"""Mina sidor's mandate pages: a representative asks for a mandate, withdraws a waiting request, and
opens the evidence they uploaded (which only they and the region's coordinators see)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import access
from core.storage_errors import upload_storing

from . import selectors
from .mandate_forms import MandateRequestForm
from .mandates import mandate_of_holder, mandate_request, mandate_withdraw
from .models import Mandate
from .representation import ACTS, acts_for


@require_http_methods(["GET", "POST"])
def request_mandate(request, slug):
    # As the profile's edit page: log in first; an organisation the person may not see is 404, one
    # they see but do not represent is 403.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = selectors.organisation_for_detail(slug=slug, user=request.user)
    if organisation is None:
        raise Http404
    if not acts_for(request.user, organisation):
        raise PermissionDenied
    form = MandateRequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            # The evidence cannot be stored (disk, object storage): the form again with a message, 503.
            with upload_storing(form, where="organisations.mandate_request") as upload:
                try:
                    mandate_request(
                        user=request.user,
                        organisation=organisation,
                        kind=data["kind"],
                        valid_to=data["valid_to"],
                        evidence=data["evidence"],
                        message=data["message"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        _("Your request for a mandate for %(name)s was sent. A coordinator will check it.")
                        % {"name": organisation.name},
                    )
                    return redirect("accounts:mypages")
            status = upload.status or 400
    return render(
        request, "organisations/mandate_request.html", {"organisation": organisation, "form": form}, status=status
    )


@require_POST
def withdraw_mandate(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    mandate = mandate_of_holder(user=request.user, pk=pk)
    try:
        mandate_withdraw(mandate=mandate, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your request for a mandate was withdrawn."))
    return redirect("accounts:mypages")


def mandate_evidence(request, pk):
    """The evidence of a mandate: for its holder and the region's coordinators with the second factor; 404
    for everyone else (no hint that it exists)."""
    mandate = Mandate.objects.select_related("representative").filter(pk=pk).first()
    if mandate is None:
        raise Http404
    return access.private_file_response(
        request,
        mandate.evidence,
        public=False,
        permission="organisations.view_mandate",
        owner=lambda: mandate.representative.user_id == request.user.pk and request.user.is_active,
        filename=f"mandat-{mandate.pk}.pdf",
    )


def mandate_rows(user, organisations) -> list[dict]:
    """Per organisation, what stands between ``user`` and a mandate: a request waiting, one expired, or none."""
    organisations = list(organisations)
    held = {}
    for mandate in (
        Mandate.objects.filter(representative__user=user, representative__organisation__in=organisations)
        .select_related("representative")
        .order_by("requested_at", "pk")
    ):
        held.setdefault(mandate.representative.organisation_id, []).append(mandate)
    rows = []
    for organisation in organisations:
        mandates = held.get(organisation.pk, [])
        rows.append(
            {
                "organisation": organisation,
                "waiting": any(m.status == Mandate.Status.REQUESTED for m in mandates),
                "expired": any(m.status == Mandate.Status.VERIFIED and m.is_expired for m in mandates),
            }
        )
    return rows


def mandate_rows_html(user, organisations) -> str:
    """The list of ``mandate_rows`` as organisations renders it, for another app's page that says why an act
    needs a mandate (an app includes no other app's template: it shows this HTML instead)."""
    return render_to_string(
        "organisations/_mandate_needed_list.html", {"mandate_rows": mandate_rows(user, organisations)}
    )


def mandate_needed(request, *, act: str, organisations, heading: str, back_url: str = "", back_label: str = ""):
    """The clear page a representative without the mandate ``act`` needs gets instead of the act's form
    (403: nothing was done), with a link to ask for a mandate for each of ``organisations``."""
    context = {
        "act": ACTS[act],
        "heading": heading,
        "mandate_rows": mandate_rows(request.user, organisations),
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "organisations/mandate_needed.html", context, status=403)
