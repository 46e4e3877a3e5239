"""Public pages of the agreements, the open data downloads, online signing and the coordinators' document view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import assurance
from accounts.decorators import staff_required
from core import access
from core.case_numbers import CASE_NUMBER_PARAM, case_number_filtered
from core.files import file_response
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, attachment_response, json_download
from core.storage_errors import upload_storing
from core.translated import translated
from organisations.mandate_views import mandate_needed

from . import charts, exports, permissions, selectors, services
from .cache import DOWNLOAD_PARAMS, DOWNLOAD_TIMEOUT, SIGNATORY_PARAMS, pages
from .forms import SignatoryFilterForm, SignForm, WithdrawalRequestForm
from .models import ActionPlan, Agreement, AgreementVersion, Signatory

PAGE_SIZE = 50


def agreement_list(request):
    """The public agreements; the whole page (anonymous) or its body (logged in) is cached until
    something changes."""
    return pages.cached_page(request, page="list", params=[CASE_NUMBER_PARAM], build=_agreement_list_page)


def _agreement_list_page(request):
    def build():
        agreements, context = case_number_filtered(request, selectors.agreement_list_public())
        return {"agreements": agreements, **context}

    return pages.render(
        request,
        "agreements/agreement_list.html",
        page="list",
        body="agreements/_list_body.html",
        params=[CASE_NUMBER_PARAM],
        build=build,
    )


def agreement_detail(request, slug):
    """The public page of an agreement; cached until something changes."""
    return pages.cached_page(
        request, page="detail", parts=[slug], build=lambda request: _agreement_detail_page(request, slug)
    )


def _agreement_detail_page(request, slug):
    # The sign card depends on who asks (an organisation that has signed is not asked again): it is a
    # visitor part of the shared body ({% visitor_part %}), rendered per request; anonymous visitors
    # all get the same card.
    return pages.render(
        request,
        "agreements/agreement_detail.html",
        page="detail",
        parts=[slug],
        body="agreements/_detail_body.html",
        build=lambda: _agreement_detail_context(slug),
        keep=lambda context: {
            "title": str(translated(context["agreement"], "title")),
            "summary": str(translated(context["agreement"], "summary")),
            "in_force": context["agreement"].is_in_force,
            "slug": context["agreement"].slug,
            "agreement_id": context["agreement"].pk,
        },
        visitor=lambda kept: _sign_context(request, kept),
    )


def _sign_context(request, page: dict) -> dict:
    context = {"in_force": page.get("in_force"), "slug": page.get("slug"), "signed_organisations": []}
    if not context["in_force"] or not request.user.is_authenticated:
        return context
    # Every verified organisation the visitor represents, with a mandate or not: without one, "Sign"
    # leads to the page that says how to get it.
    organisations = list(permissions.organisations_represented(request.user).order_by("name"))
    statuses = dict(
        Signatory.objects.filter(
            agreement_id=page["agreement_id"],
            organisation__in=organisations,
            status__in=[Signatory.Status.PENDING, Signatory.Status.VERIFIED],
        ).values_list("organisation_id", "status")
    )
    context["signed_organisations"] = [(o, statuses[o.pk]) for o in organisations if o.pk in statuses]
    context["unsigned_organisations"] = [o for o in organisations if o.pk not in statuses]
    return context


def _agreement_detail_context(slug) -> dict:
    agreement = selectors.agreement_get_public(slug=slug)
    members = list(agreement.working_group.all())
    return {
        "agreement": agreement,
        "signatory_count": selectors.signatory_count(agreement=agreement),
        "comparable_versions": sum(1 for version in agreement.versions.all() if version.text),
        "politicians": [m for m in members if m.side == m.Side.POLITICIAN],
        "civil_society": [m for m in members if m.side == m.Side.CIVIL_SOCIETY],
    }


def _filtered(request, agreement):
    municipalities, areas = selectors.signatory_filter_options(agreement=agreement)
    form = SignatoryFilterForm(request.GET or None, municipalities=municipalities, areas=areas)
    filters = form.filters() if request.GET else {"search": "", "municipality": None, "area": None, "sort": "name"}
    return form, filters, selectors.signatory_public_list(agreement=agreement, **filters)


def signatory_list(request, slug):
    """The public list of signatories; cached per the parameters it reads until something changes."""
    return pages.cached_page(
        request,
        page="signatories",
        params=SIGNATORY_PARAMS,
        parts=[slug],
        build=lambda request: _signatory_list_page(request, slug),
    )


def _signatory_list_page(request, slug):
    return pages.render(
        request,
        "agreements/signatory_list.html",
        page="signatories",
        params=SIGNATORY_PARAMS,
        parts=[slug],
        body="agreements/_signatories_body.html",
        build=lambda: _signatory_list_context(request, slug),
        keep=lambda context: {"title": str(translated(context["agreement"], "title"))},
    )


def _signatory_list_context(request, slug) -> dict:
    agreement = selectors.agreement_get_public(slug=slug)
    form, filters, signatories = _filtered(request, agreement)
    page = Paginator(signatories, PAGE_SIZE).get_page(request.GET.get("page"))
    points = selectors.signatory_growth(agreement=agreement)
    total = selectors.signatory_count(agreement=agreement)
    query = request.GET.copy()
    query.pop("page", None)
    is_filtered = any(filters[k] for k in ("search", "municipality", "area"))
    listed_total = page.paginator.count if not is_filtered else agreement.signatories.listed().count()
    return {
        "agreement": agreement,
        "form": form,
        "page_obj": page,
        "total": total,
        "unlisted": max(total - listed_total, 0),
        "is_filtered": is_filtered,
        "growth": points,
        "chart": charts.signatory_growth_chart(points),
        "querystring": query.urlencode(),
    }


def _download(request, slug, *, page: str, build, filename: str, content_type: str):
    """A download of the public list (filtered as the page is): the bytes of ``build(signatories)``
    (agreements.exports), built once per (agreement, filters, language) and cached until something
    changes."""

    def content():
        agreement = selectors.agreement_get_public(slug=slug)
        _form, _filters, signatories = _filtered(request, agreement)
        return build(signatories)

    return pages.cached_download(
        request,
        page=page,
        params=DOWNLOAD_PARAMS,
        parts=[slug],
        build=content,
        respond=lambda data: attachment_response(data, filename=filename, content_type=content_type),
        timeout=DOWNLOAD_TIMEOUT,
    )


def signatories_csv(request, slug):
    """The public list as CSV in its documented open data format: organisation, number,
    municipality, date signed; nothing personal."""
    return _download(
        request,
        slug,
        page="csv",
        build=exports.signatories_csv,
        filename=f"{slug}-undertecknare.csv",
        content_type=CSV_CONTENT_TYPE,
    )


def signatories_excel_csv(request, slug):
    """The same list as a CSV for Swedish Excel (semicolon-separated with a BOM)."""
    return _download(
        request,
        slug,
        page="csv-excel",
        build=exports.signatories_excel_csv,
        filename=f"{slug}-undertecknare-excel.csv",
        content_type=CSV_CONTENT_TYPE,
    )


def signatories_xlsx(request, slug):
    """The same list as an Excel workbook (XLSX)."""
    return _download(
        request,
        slug,
        page="xlsx",
        build=exports.signatories_xlsx,
        filename=f"{slug}-undertecknare.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def growth_csv(request, slug):
    """The growth table as CSV for Swedish Excel: per year signed, withdrawn and the total at year end, so a
    year that ends with fewer signatories than the last says why. Counts only, nothing personal."""

    def build():
        agreement = selectors.agreement_get_public(slug=slug)
        return exports.growth_csv(selectors.signatory_growth(agreement=agreement))

    content = pages.cached_fragment(request, page="growth-csv", parts=[slug], build=build, timeout=DOWNLOAD_TIMEOUT)
    return attachment_response(content, filename=f"{slug}-undertecknare-per-ar.csv", content_type=CSV_CONTENT_TYPE)


def signatories_json(request, slug):
    """Open data: the agreement, the number of listed signatories and the list itself, as the API's
    ``SignatoryDownloadSerializer`` gives them; built once per (agreement, filters, host) and cached
    until something changes."""

    def build():
        agreement = selectors.agreement_get_public(slug=slug)
        _form, _filters, signatories = _filtered(request, agreement)
        return exports.signatories_json(agreement=agreement, signatories=signatories)

    content = pages.cached_fragment(
        request,
        page="json",
        params=DOWNLOAD_PARAMS,
        parts=[slug, request.scheme, request.get_host()],
        build=build,
        timeout=DOWNLOAD_TIMEOUT,
    )
    return json_download(content, filename=f"{slug}-undertecknare.json")


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, slug):
    agreement = selectors.agreement_get_public(slug=slug)
    if not agreement.is_in_force:
        messages.error(request, _("This agreement is not in force and cannot be signed."))
        return redirect(agreement)
    represented = permissions.organisations_represented(request.user)
    if not represented.exists():
        return render(request, "agreements/sign_not_allowed.html", {"agreement": agreement}, status=403)
    organisations = selectors.organisations_that_can_sign(user=request.user)
    if not organisations.exists():
        # A representative without a mandate: the clear page, for GET and POST alike (nothing is done).
        return mandate_needed(
            request,
            act="sign_agreement",
            organisations=represented.order_by("name"),
            heading=agreement.title,
            back_url=agreement.get_absolute_url(),
            back_label=_("Back to the agreement"),
        )
    unsigned = selectors.organisations_unsigned(user=request.user, agreement=agreement)
    if request.method == "GET" and not unsigned.exists():
        names = ", ".join(o.name for o in organisations)
        messages.info(request, _("%(organisation)s has already signed this agreement.") % {"organisation": names})
        return redirect(agreement)
    if request.method == "GET":
        organisations = unsigned
        # With e-ID configured for the region, the e-ID confirmation before the form: its POST then
        # needs no replay, which would keep the typed fields but never the board decision's PDF.
        page = assurance.stepup_page(
            request, getattr(request, "region", None), heading=agreement.title, back_url=agreement.get_absolute_url()
        )
        if page is not None:
            return page
    form = SignForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        response = _sign_valid_post(request, agreement, form)
        if response is not None:
            return response
    return _sign_page(request, agreement, form)


def _sign_page(request, agreement, form, *, status: int = 200):
    """The signing form, with the text of the version being signed (the newest published one)."""
    version = selectors.version_current(agreement=agreement)
    context = {
        "agreement": agreement,
        "form": form,
        "version": version,
        "text": version.text if version else agreement.text,
    }
    return render(request, "agreements/sign.html", context, status=status)


def _sign_valid_post(request, agreement, form):
    """A valid signing form: the e-ID step-up, then the signature. Returns the response, or ``None`` when
    the form is shown again with its errors."""
    # The window may end while the form is filled in: the e-ID login then, the POST kept and replayed.
    stepup = assurance.stepup_required(request, getattr(request, "region", None))
    if stepup is not None:
        return stepup
    if "board_decision" in assurance.files_lost(request):
        form.add_error(
            "board_decision",
            _("The file was not kept while you confirmed with e-ID. Choose it again, then sign."),
        )
        return _sign_page(request, agreement, form, status=400)
    data = form.cleaned_data
    # The board decision cannot be stored (disk, object storage): not signed, the form again with a message.
    with upload_storing(form, where="agreements.sign") as upload:
        try:
            services.signatory_request(
                agreement=agreement,
                organisation=data["organisation"],
                user=request.user,
                signed_by_name=data["signed_by_name"],
                signed_by_title=data["signed_by_title"],
                confirms_authority=data["confirms_authority"],
                board_decision=data["board_decision"],
                public=data["public"],
                authentication=assurance.describe(request),
            )
        except services.AlreadySignedError as exc:
            messages.info(request, exc.messages[0])
            return redirect(agreement)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you! %(organisation)s has signed. The signature is shown publicly once the region has verified it."
                )
                % {"organisation": data["organisation"].name},
            )
            return redirect("accounts:mypages")
    if upload.failed:
        return _sign_page(request, agreement, form, status=upload.status)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def withdrawal_request(request, slug, pk):
    signatory = selectors.signatory_of_representative(user=request.user, slug=slug, pk=pk)
    form = WithdrawalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_withdrawal_request(
                signatory=signatory, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request, _("Your request has been sent. A coordinator at the region will confirm the withdrawal.")
            )
        return redirect("accounts:mypages")
    return render(
        request,
        "agreements/withdrawal_request.html",
        {"signatory": signatory, "agreement": signatory.agreement, "form": form},
    )


@staff_required(permission="agreements.view_signatory")
def board_decision(request, pk):
    """The uploaded board decision: only for staff who may view signatories (with MFA), never public."""
    signatory = get_object_or_404(Signatory, pk=pk)
    return file_response(signatory.board_decision, filename=f"styrelsebeslut-{signatory.pk}.pdf", private=True)


def version_document(request, slug, number):
    """A version's document, for anyone once the agreement is public and the version published; a draft's
    by the draft gate."""
    version = get_object_or_404(
        AgreementVersion.objects.select_related("agreement"), agreement__slug=slug, number=number
    )
    return access.private_file_response(
        request,
        version.document,
        public=version.published and version.agreement.status != Agreement.Status.DRAFT,
        permission="agreements.view_agreement",
        filename=f"{slug}-version-{number}",
    )


def action_plan_document(request, slug, pk):
    """An action plan's document, for anyone once the agreement is public; a draft's by the draft gate."""
    plan = get_object_or_404(ActionPlan.objects.select_related("agreement"), agreement__slug=slug, pk=pk)
    return access.private_file_response(
        request,
        plan.document,
        public=plan.agreement.status != Agreement.Status.DRAFT,
        permission="agreements.view_agreement",
        filename=f"{slug}-handlingsplan-{plan.period_start}-{plan.period_end}",
    )
