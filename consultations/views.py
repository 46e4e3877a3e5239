"""Public pages of the consultations, the answer form, the open data downloads and the files."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts import assurance
from core import access
from core.case_numbers import CASE_NUMBER_PARAM, case_number_filtered
from core.spreadsheets import CSV_CONTENT_TYPE, attachment_response, json_download
from core.storage_errors import upload_storing
from organisations.mandate_views import mandate_rows_html
from organisations.representation import mandate_needed_message

from . import exports, permissions, selectors, services
from .cache import DOWNLOAD_TIMEOUT, pages
from .charts import position_chart
from .forms import AnswerForm
from .models import Answer, Consultation

logger = logging.getLogger(__name__)


def answer_rate(group, request):
    """Saves per minute and user on the answer form: plenty for someone writing, too few for a flood."""
    return getattr(settings, "CONSULTATIONS_ANSWER_RATE", "30/m")


def consultation_list(request):
    """Open and closed consultations; cached whole per language until something changes or a deadline passes."""
    now = timezone.now()
    shown = {}

    def build(request):
        consultations, filtered = case_number_filtered(request, selectors.consultation_list_public())
        open_ones = [c for c in consultations if c.phase(now) == Consultation.Status.OPEN]
        shown["next_deadline"] = min((c.closes_at for c in open_ones if c.closes_at), default=None)
        context = {
            "open_consultations": open_ones,
            "closed_consultations": [c for c in consultations if c.phase(now) != Consultation.Status.OPEN],
            **filtered,
        }
        return render(request, "consultations/consultation_list.html", context)

    return pages.cached_page(
        request,
        page="list",
        params=[CASE_NUMBER_PARAM],
        build=build,
        valid_until=lambda: shown.get("next_deadline"),
    )


def _compilation_context(consultation):
    items = selectors.compilation(consultation=consultation)
    return [{"item": item, "chart": position_chart(item.counts)} for item in items]


def consultation_detail(request, slug):
    """A consultation's public page: cached whole for anonymous visitors, its body for everyone, per
    language and phase (open, closed, compiled); no cached page outlives the deadline."""
    now = timezone.now()
    shown = {}

    def build(request):
        consultation = selectors.consultation_get_public(slug=slug)
        shown["deadline"] = consultation.closes_at if consultation.phase(now) == Consultation.Status.OPEN else None
        return _detail_page(request, consultation, now)

    return pages.cached_page(
        request, page="detail", parts=[slug], build=build, valid_until=lambda: shown.get("deadline")
    )


def _detail_page(request, consultation, now):
    phase = consultation.phase(now)

    def build():
        context = {
            "consultation": consultation,
            "phase": phase,
            "sections": list(consultation.sections.all()),
            "invitation": selectors.invitation_summary(consultation=consultation),
            "submitted_count": selectors.submitted_count(consultation=consultation),
        }
        if phase == Consultation.Status.COMPILED:
            context["compilation"] = _compilation_context(consultation)
        return context

    return pages.render(
        request,
        "consultations/consultation_detail.html",
        page="detail",
        parts=[consultation.slug, phase],
        body="consultations/_detail_body.html",
        build=build,
        with_request=False,
        context={
            "consultation": consultation,
            "phase": phase,
            "answer_links": _answer_links(request, consultation, phase, now),
        },
    )


def _answer_links(request, consultation, phase, now) -> list[dict]:
    """The answers the visitor may write or read for their organisations (none for anonymous visitors)."""
    answer_links = []
    if request.user.is_authenticated and phase in (Consultation.Status.OPEN, Consultation.Status.CLOSED):
        organisations = selectors.organisations_user_may_answer_for(consultation=consultation, user=request.user)
        answers = {a.organisation_id: a for a in consultation.answers.filter(organisation__in=organisations)}
        for organisation in organisations:
            answer = answers.get(organisation.pk)
            may_write = permissions.accepting_answers(consultation, now, answer=answer)
            if may_write or answer:
                answer_links.append({"organisation": organisation, "answer": answer, "may_write": may_write})
    return answer_links


def _answer_url(consultation, organisation) -> str:
    return f"{reverse('consultations:answer', kwargs={'slug': consultation.slug})}?organisation={organisation.pk}"


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=answer_rate, method="POST", block=False)
def answer(request, slug):
    """The answer form: section by section; every valid post saves the draft, "Submit" then submits it."""
    consultation = selectors.consultation_get_public(slug=slug)
    now = timezone.now()
    organisation, response = _answering_organisation(request, consultation)
    if response is not None:
        return response
    existing = selectors.answer_for(consultation=consultation, organisation=organisation)
    sections = list(consultation.sections.all())
    context = {"consultation": consultation, "organisation": organisation, "answer": existing, "sections": sections}
    # Anyone who represents the organisation writes the draft; submitting it needs a mandate.
    context["may_submit"] = permissions.may_submit(request.user, organisation)
    if not context["may_submit"]:
        context["mandate_rows_html"] = mandate_rows_html(request.user, [organisation])
    if existing and existing.is_submitted:
        return _submitted_page(request, context, existing, posted=request.method == "POST")
    if request.method == "GET" and not permissions.accepting_answers(consultation, now, answer=existing):
        return render(request, "consultations/answer_closed.html", context)

    form = AnswerForm(request.POST or None, request.FILES or None, sections=sections, answer=existing)
    status = 200
    if request.method == "POST":
        response, status = _answer_post(request, form, context, now=now)
        if response is not None:
            return response
    context["form"] = form
    context["late"] = not consultation.is_accepting(now)
    return render(request, "consultations/answer_form.html", context, status=status)


def _answering_organisation(request, consultation):
    """The organisation the visitor answers for, or the page that answers instead (not allowed, or the
    choice between several organisations): ``(organisation, None)`` or ``(None, response)``."""
    organisations = selectors.organisations_user_may_answer_for(consultation=consultation, user=request.user)
    if not organisations:
        return None, render(
            request, "consultations/answer_not_allowed.html", {"consultation": consultation}, status=403
        )
    chosen = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = next((o for o in organisations if str(o.pk) == str(chosen)), None)
    if organisation is None:
        if len(organisations) > 1 or chosen:
            return None, render(
                request,
                "consultations/answer_choose.html",
                {"consultation": consultation, "organisations": organisations},
            )
        organisation = organisations[0]
    return organisation, None


def _answer_post(request, form, context, *, now):
    """A post of the answer form: save the draft, and submit it when asked. Returns ``(response, None)``
    when the post is answered with a redirect or another page, else ``(None, status)`` for the form."""
    consultation, organisation = context["consultation"], context["organisation"]
    if getattr(request, "limited", False):
        messages.error(
            request,
            _("Too many saves in a short time. Wait a minute and send the form again. Everything you typed is kept."),
        )
        return None, 429
    if form.is_bot():
        logger.info("consultations: honeypot filled on the answer form, post dropped")
        return redirect(consultation), None
    if not form.is_valid():
        return None, 400
    submitting = request.POST.get("action") == "submit"
    if submitting and not context["may_submit"]:
        # Nothing is saved or submitted; what was typed is shown again.
        form.add_error(None, mandate_needed_message("submit_answer", organisation))
        return None, 403
    if submitting and form.cleaned_data.get("understands_public"):
        # With e-ID configured for the region, a recent e-ID login first; the POST is kept and replayed.
        stepup = assurance.stepup_required(request, getattr(request, "region", None))
        if stepup is not None:
            return stepup, None
        if "attachment" in assurance.files_lost(request):
            # The replayed POST kept the fields but not the file: nothing saved, the file asked for again.
            form.add_error(
                "attachment",
                _("The file was not kept while you confirmed with e-ID. Choose it again, then submit."),
            )
            return None, 400
    # The attachment cannot be stored (disk, object storage): nothing saved, the form again with a message.
    with upload_storing(form, where="consultations.answer") as upload:
        try:
            saved = services.answer_save(
                consultation=consultation,
                organisation=organisation,
                user=request.user,
                positions=form.positions(),
                general_comment=form.cleaned_data["general_comment"],
                attachment=form.cleaned_data["attachment"],
                remove_attachment=form.cleaned_data["remove_attachment"],
                now=now,
            )
        except services.AnswerLockedError:
            # Submitted by a request running at the same moment (a double click, another tab).
            return _submitted_page(request, context, None, posted=True), None
        except ValidationError as exc:
            form.add_error(None, exc)
            return None, 400
    if upload.failed:
        return None, upload.status
    context["answer"] = saved
    if not submitting:
        messages.success(request, _("Your draft is saved. You can come back and go on later."))
        return redirect(_answer_url(consultation, organisation)), None
    return _answer_submit(request, form, context, saved, now=now)


def _answer_submit(request, form, context, saved, *, now):
    """The saved draft submitted, once the public notice is confirmed. Returns as ``_answer_post``."""
    consultation, organisation = context["consultation"], context["organisation"]
    if form.require_public_notice():
        try:
            services.answer_submit(answer=saved, user=request.user, now=now, authentication=assurance.describe(request))
        except services.AnswerLockedError:
            return _submitted_page(request, context, None, posted=True), None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Thank you! The answer of %(organisation)s is submitted.") % {"organisation": organisation.name},
            )
            return redirect(_answer_url(consultation, organisation)), None
    messages.info(request, _("Your draft is saved, but the answer is not submitted yet."))
    return None, 400


def _submitted_page(request, context, answer, *, posted: bool):
    """The submitted answer, read-only. A post to it (also one that lost a race with the request that
    submitted it) is told so with 409 Conflict: nothing was changed."""
    if answer is None:
        answer = selectors.answer_for(consultation=context["consultation"], organisation=context["organisation"])
    rows = {row.section_id: row for row in answer.sections.all()}
    context = {**context, "answer": answer, "rows": [(s, rows.get(s.pk)) for s in context["sections"]]}
    if posted:
        messages.error(request, _("The answer has already been submitted and can no longer be changed."))
    return render(request, "consultations/answer_submitted.html", context, status=409 if posted else 200)


def _public_or_404(slug):
    consultation = selectors.consultation_get_public(slug=slug)
    now = timezone.now()
    if not consultation.answers_are_public(now):
        raise Http404
    return consultation, consultation.phase(now)


def answers_public(request, slug):
    """Every submitted answer in full, once the deadline has passed (answers are public documents)."""
    consultation, phase = _public_or_404(slug)

    def build():
        sections = list(consultation.sections.all())
        answers = selectors.public_answers(consultation=consultation)
        items = []
        for item in answers:
            rows = {row.section_id: row for row in item.sections.all()}
            items.append({"answer": item, "rows": [(s, rows.get(s.pk)) for s in sections]})
        return {"consultation": consultation, "items": items}

    return pages.render(
        request,
        "consultations/answers_public.html",
        page="answers",
        parts=[slug, phase],
        body="consultations/_answers_body.html",
        build=build,
        with_request=False,
        context={"consultation": consultation},
    )


def compilation_print(request, slug):
    """The published compilation (remissammanställning) on one printable page."""
    consultation = selectors.consultation_get_public(slug=slug)
    if not consultation.is_compiled:
        raise Http404

    def build():
        return {
            "consultation": consultation,
            "compilation": _compilation_context(consultation),
            "answers_count": selectors.submitted_count(consultation=consultation),
            "invitation": selectors.invitation_summary(consultation=consultation),
        }

    return pages.render(
        request,
        "consultations/compilation_print.html",
        page="print",
        parts=[slug],
        body="consultations/_compilation_print_body.html",
        build=build,
        with_request=False,
        context={"consultation": consultation},
    )


def answers_csv(request, slug):
    """Every public answer as CSV (consultations.exports), built once per phase until something changes."""
    consultation, phase = _public_or_404(slug)
    content = pages.cached_fragment(
        request,
        page="csv",
        parts=[slug, phase],
        build=lambda: exports.answers_csv(consultation),
        timeout=DOWNLOAD_TIMEOUT,
    )
    return attachment_response(content, filename=f"{slug}-remissvar.csv", content_type=CSV_CONTENT_TYPE)


def answers_json(request, slug):
    """Every public answer as JSON, as the API's ``AnswersDownloadSerializer`` gives them."""
    consultation, phase = _public_or_404(slug)
    content = pages.cached_fragment(
        request,
        page="json",
        parts=[slug, phase],
        build=lambda: exports.answers_json(consultation),
        timeout=DOWNLOAD_TIMEOUT,
    )
    return json_download(content, filename=f"{slug}-remissvar.json")


def document(request, slug):
    """The full draft document, public like the consultation page; a draft consultation's by the draft gate."""
    consultation = get_object_or_404(Consultation, slug=slug)
    return access.private_file_response(
        request,
        consultation.document,
        public=consultation.status != Consultation.Status.DRAFT,
        permission="consultations.view_consultation",
        filename=f"{slug}-remissutkast.pdf",
    )


def answer_attachment(request, slug, pk):
    """An answer's attachment: public once the answer is; before that only for the organisation's
    representatives and staff with the second factor (the draft gate, core.access); 404 for anyone else."""
    item = get_object_or_404(
        Answer.objects.select_related("consultation", "organisation").exclude(
            consultation__status=Consultation.Status.DRAFT
        ),
        pk=pk,
        consultation__slug=slug,
    )
    user = request.user
    return access.private_file_response(
        request,
        item.attachment,
        public=item.is_submitted and item.consultation.answers_are_public(),
        permission="consultations.view_answer",
        owner=lambda: permissions.owns_answer(user, item),
        filename=f"remissvar-{slug}-{item.organisation.slug}.pdf",
    )
