"""The application form for representatives (works without JavaScript), the follow-up report form and the
application's private attachments."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import assurance
from core import access
from core.storage_errors import upload_storing
from organisations.mandate_views import mandate_rows_html
from organisations.representation import mandate_needed_message

from .. import permissions, selectors, services
from ..forms import ApplicationForm, ReportForm
from ..models import Application, ApplicationAttachment, FollowUpReport

logger = logging.getLogger(__name__)


def _apply_url(call, organisation) -> str:
    return f"{reverse('grants:apply', kwargs={'slug': call.slug})}?organisation={organisation.pk}"


def _applying_organisation(request, call):
    """``(organisation, None)`` or ``(None, response)``: not a representative, or a choice to make."""
    organisations = permissions.applying_organisations(request.user)
    if not organisations:
        return None, render(request, "partnerships/apply_not_allowed.html", {"call": call}, status=403)
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = next((o for o in organisations if str(o.pk) == str(chosen)), None)
    if organisation is None:
        if len(organisations) > 1 or chosen:
            # Another organisation's id (or nonsense) is never taken: the visitor chooses among their own.
            return None, render(
                request, "partnerships/apply_choose.html", {"call": call, "organisations": organisations}
            )
        organisation = organisations[0]
    return organisation, None


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    """Every valid post saves the draft; "Submit" then submits it (once, under a mandate)."""
    call = selectors.call_get_public(slug=slug)
    now = timezone.now()
    organisation, response = _applying_organisation(request, call)
    if response is not None:
        return response
    application = Application.objects.filter(call=call, organisation=organisation).first()
    context = {"call": call, "organisation": organisation, "application": application}
    context["may_submit"] = permissions.may_submit(request.user, organisation)
    if not context["may_submit"]:
        context["mandate_rows_html"] = mandate_rows_html(request.user, [organisation])
    if application is not None and not application.is_draft:
        return _submitted_page(request, context, posted=request.method == "POST")
    if not permissions.accepting_applications(call, now):
        return render(
            request, "partnerships/apply_closed.html", context, status=403 if request.method == "POST" else 200
        )
    form = ApplicationForm(request.POST or None, request.FILES or None, call=call, application=application)
    status = 200
    if request.method == "POST":
        response, status = _apply_post(request, form, context, now=now)
        if response is not None:
            return response
    context["form"] = form
    return render(request, "partnerships/apply_form.html", context, status=status)


def _apply_post(request, form, context, *, now):
    call, organisation = context["call"], context["organisation"]
    if form.is_bot():
        logger.info("partnerships: honeypot filled on the application form, post dropped")
        return redirect(call), None
    if not form.is_valid():
        return None, 400
    submitting = request.POST.get("action") == "submit"
    if submitting and context["may_submit"]:
        # With e-ID configured for the region, a recent e-ID login first; the POST is kept and replayed.
        stepup = assurance.stepup_required(request, getattr(request, "region", None))
        if stepup is not None:
            return stepup, None
    # The attachment cannot be stored (disk, object storage): nothing saved, the form again with a message.
    with upload_storing(form, where="partnerships.apply") as upload:
        try:
            saved = services.application_save(
                call=call, organisation=organisation, user=request.user, now=now, **form.service_kwargs()
            )
        except services.ApplicationLockedError:
            return _submitted_page(request, context, posted=True), None
        except ValidationError as exc:
            form.add_error(None, exc)
            return None, 400
    if upload.failed:
        return None, upload.status
    context["application"] = saved
    if not submitting:
        messages.success(request, _("Your draft is saved. You can come back and go on later."))
        return redirect(_apply_url(call, organisation)), None
    if not context["may_submit"]:
        form.add_error(None, mandate_needed_message(permissions.APPLY_ACT, organisation))
        messages.info(request, _("Your draft is saved, but the application is not submitted yet."))
        return None, 403
    try:
        services.application_submit(
            application=saved, user=request.user, now=now, authentication=assurance.describe(request)
        )
    except services.ApplicationLockedError:
        return _submitted_page(request, context, posted=True), None
    except ValidationError as exc:
        form.add_error(None, exc)
        messages.info(request, _("Your draft is saved, but the application is not submitted yet."))
        return None, 400
    messages.success(
        request, _("Thank you! The application of %(organisation)s is submitted.") % {"organisation": organisation.name}
    )
    return redirect(_apply_url(call, organisation)), None


def _submitted_page(request, context, *, posted: bool):
    """The submitted application, read-only; a post to it is told so (409) and changes nothing."""
    application = Application.objects.select_related("decision", "report").get(
        call=context["call"], organisation=context["organisation"]
    )
    answers = [(q, application.answers.get(str(q.pk), "")) for q in context["call"].questions.all()]
    context = {**context, "application": application, "answer_rows": answers}
    if posted:
        messages.error(request, _("The application has already been submitted and can no longer be changed."))
    return render(request, "partnerships/apply_submitted.html", context, status=409 if posted else 200)


def attachment(request, pk, attachment):
    """An application's attachment: only the organisation's representatives and staff with the second
    factor (never public); 404 for anyone else."""
    item = get_object_or_404(
        ApplicationAttachment.objects.select_related("application"), pk=attachment, application_id=pk
    )
    user = request.user
    return access.private_file_response(
        request,
        item.file,
        public=False,
        permission="partnerships.view_application",
        owner=lambda: permissions.owns_application(user, item.application),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """The follow-up report of a grant, for the organisation's representatives; 404 for anyone else."""
    item = get_object_or_404(
        FollowUpReport.objects.select_related("application__organisation", "application__call"), application_id=pk
    )
    if not permissions.owns_application(request.user, item.application):
        raise Http404
    context = {"report": item, "application": item.application}
    if item.review_status not in services.reports.OPEN_FOR_REPORT:
        return render(request, "partnerships/report_done.html", context)
    form = ReportForm(request.POST or None, report=item)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report_submit(report=item, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Thank you! The follow-up report is submitted."))
                return redirect(reverse("grants:report", kwargs={"pk": pk}))
    context["form"] = form
    return render(request, "partnerships/report_form.html", context, status=status)
