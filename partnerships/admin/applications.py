"""Applications: read-only (they are the organisation's), with their budget, attachments and assessments
inline; the assessment page (score per criterion, or a declared conflict of interest) and the decision
page (prepare the decision; it is announced from the decisions' list, with confirmation)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from organisations.mandate_admin import MANDATED_ACT_FIELDS, MandatedActAdminMixin

from .. import services
from ..forms import AssessmentForm
from ..models import Application, ApplicationAttachment, Assessment, BudgetLine, Decision
from .money import amount_column


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = readonly_fields = ["item", "amount_shown"]
    amount_shown = amount_column(BudgetLine, "amount")


class AttachmentInline(ReadOnlyInline):
    model = ApplicationAttachment
    fields = readonly_fields = ["title", "link", "uploaded_at"]

    @admin.display(description=_("file"))
    def link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open"))


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = readonly_fields = ["assessor", "conflict_of_interest", "conflict_note", "scores_given", "completed_at"]

    @admin.display(description=_("scores"))
    def scores_given(self, obj):
        rows = [(s.criterion.name, s.score, s.comment) for s in obj.scores.select_related("criterion")]
        return format_html_join("", "<div>{}: {} {}</div>", rows) or "–"


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    amount = forms.IntegerField(label=_("Granted amount (SEK)"), min_value=1, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    public_purpose = forms.CharField(label=_("Purpose as published"), max_length=300, required=False)
    report_due_on = forms.DateField(label=_("Follow-up report due"), required=False)
    case_number = forms.CharField(label=_("Case number"), max_length=50, required=False)


@admin.register(Application)
class ApplicationAdmin(MandatedActAdminMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "title", "call", "status", "amount_requested_shown", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["organisation__name", "organisation__organisation_number", "title", "description"]
    list_select_related = ["organisation", "call"]
    readonly_fields = [
        "call",
        "organisation",
        "status",
        "title",
        "description",
        "answers_shown",
        "amount_requested_shown",
        "tools",
        "created_by",
        "submitted_by",
        "submitted_at",
        *MANDATED_ACT_FIELDS,
    ]
    fields = readonly_fields
    inlines = [BudgetLineInline, AttachmentInline, AssessmentInline]
    amount_requested_shown = amount_column(Application, "amount_requested")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("answers"))
    def answers_shown(self, obj):
        rows = [(q.text, obj.answers.get(str(q.pk), "–")) for q in obj.call.questions.all()]
        return format_html_join("", "<p><strong>{}</strong><br>{}</p>", rows) or "–"

    @admin.display(description=_("assess and decide"))
    def tools(self, obj):
        if obj.pk is None or obj.is_draft:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:partnerships_application_assess", args=[obj.pk]),
            _("Assess"),
            reverse("admin:partnerships_application_decide", args=[obj.pk]),
            _("Decision"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/bedom/", self.admin_site.admin_view(self.assess_view), name="partnerships_application_assess"
            ),
            path(
                "<int:pk>/beslut/", self.admin_site.admin_view(self.decide_view), name="partnerships_application_decide"
            ),
            *super().get_urls(),
        ]

    def _get(self, request, pk) -> Application:
        application = get_object_or_404(Application.objects.select_related("call", "organisation"), pk=pk)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        return application

    def _page(self, request, application, title, form, template):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "application": application,
            "form": form,
        }
        return TemplateResponse(request, template, context)

    def assess_view(self, request, pk):
        """One coordinator's own assessment: a score and a comment per criterion, or a declared conflict."""
        application = self._get(request, pk)
        mine = Assessment.objects.filter(application=application, assessor=request.user).first()
        form = AssessmentForm(request.POST or None, criteria=application.call.criteria.all(), assessment=mine)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["conflict_of_interest"]:
                    services.assessment_declare_conflict(
                        application=application, assessor=request.user, note=data["conflict_note"]
                    )
                else:
                    services.assessment_save(
                        application=application,
                        assessor=request.user,
                        scores=form.scores(),
                        comment=data["comment"],
                        complete=data["complete"],
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("The assessment is saved."), messages.SUCCESS)
                return redirect(reverse("admin:partnerships_application_change", args=[pk]))
        context_title = _("Assess: %(application)s") % {"application": application}
        response = self._page(request, application, context_title, form, "admin/partnerships/assess.html")
        response.context_data["conflict"] = bool(mine and mine.conflict_of_interest)
        return response

    def decide_view(self, request, pk):
        """Prepare (or change) the decision; announcing it is an action on the decisions' list."""
        application = self._get(request, pk)
        existing = Decision.objects.filter(application=application).first()
        initial = {}
        if existing:
            initial = {f: getattr(existing, f) for f in DecisionForm.base_fields}
        form = DecisionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                decision = services.decision_prepare(application=application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    _("The decision is prepared. Announce it from the list of decisions: the organisation is told."),
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:partnerships_decision_changelist") + f"?id={decision.pk}")
        title = _("Decision: %(application)s") % {"application": application}
        return self._page(request, application, title, form, "admin/partnerships/decide.html")
