"""Coordinators' admin: consultations with their sections and invited organisations, the answers with
filters, and the compilation view (counts, comments, the region's responses, publishing, late answers).

Status changes go through the services (actions and the compilation view), never a plain save.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_case_numbers import assign_case_numbers
from core.admin_confirm import confirm_action
from core.admin_translated import BilingualAdminMixin
from core.registry import portal
from core.spreadsheets import ADMIN_FORMATS
from organisations.mandate_admin import MANDATED_ACT_FIELDS, MandatedActAdminMixin

from . import selectors, services
from .charts import position_chart
from .forms import CompilationForm, LateAnswerForm
from .models import Answer, Consultation, Position, Reminder, Section, SectionAnswer
from .resources import AnswerResource, SectionAnswerResource


class SectionInline(BilingualAdminMixin, admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "heading", "text"]

    def _editable(self, obj):
        # The draft is fixed once organisations have it: answers refer to its sections.
        return obj is None or obj.status == Consultation.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


# Every status step shows what it will do, to how many, and what cannot be undone, before it runs
# (core/admin_confirm.py); the services check the preconditions.


def _consultation_step(modeladmin, request, queryset, *, title, preview, service, done, button, **extra):
    def perform(consultation, *, choices, data):
        service(consultation=consultation, by=request.user)
        return done

    return confirm_action(
        modeladmin,
        request,
        queryset,
        title=title,
        preview=lambda consultation: preview(consultation=consultation),
        perform=perform,
        button=button,
        **extra,
    )


@admin.action(description=_("Open for answers and invite the organisations"), permissions=["change"])
def open_consultations(modeladmin, request, queryset):
    return _consultation_step(
        modeladmin,
        request,
        queryset,
        title=_("Open consultations"),
        preview=services.consultation_open_preview,
        service=services.consultation_open,
        done=_("opened; the invited organisations are told."),
        button=_("Yes, open and invite"),
    )


@admin.action(description=_("Close (after the deadline)"), permissions=["change"])
def close_consultations(modeladmin, request, queryset):
    return _consultation_step(
        modeladmin,
        request,
        queryset,
        title=_("Close consultations"),
        preview=services.consultation_close_preview,
        service=services.consultation_close,
        done=_("closed."),
        button=_("Yes, close"),
    )


@admin.action(description=_("Publish the compilation"), permissions=["change"])
def publish_compilations(modeladmin, request, queryset, **extra):
    return _consultation_step(
        modeladmin,
        request,
        queryset,
        title=_("Publish the compilation"),
        preview=services.compilation_publish_preview,
        service=services.compilation_publish,
        done=_("the compilation is published; the invited organisations are told."),
        button=_("Yes, publish the compilation"),
        **extra,
    )


@admin.action(description=_("Back to draft (only while no organisation has started an answer)"), permissions=["change"])
def consultations_back_to_draft(modeladmin, request, queryset):
    return _consultation_step(
        modeladmin,
        request,
        queryset,
        title=_("Back to draft"),
        preview=services.consultation_step_back_preview,
        service=services.consultation_step_back,
        done=_("back to draft."),
        button=_("Yes, back to draft"),
    )


@admin.register(Consultation)
class ConsultationAdmin(BilingualAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "case_number", "status", "closes_at", "audience", "submitted", "compilation_link"]
    list_filter = ["status", "audience"]
    search_fields = ["title", "background", "case_number"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agreement", "action_plan", "invited_organisations"]
    readonly_fields = ["status", "opens_at", "closed_at", "compiled_at", "compilation_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "case_number", "background", "document", "agreement", "action_plan"]}),
        (_("Who may answer, and when"), {"fields": ["audience", "invited_organisations", "closes_at"]}),
        (_("Status"), {"fields": ["status", "opens_at", "closed_at", "compiled_at", "compilation_link"]}),
    ]
    inlines = [SectionInline]
    actions = portal.admin_actions(
        "consultations.consultation",
        [
            open_consultations,
            close_consultations,
            publish_compilations,
            consultations_back_to_draft,
            assign_case_numbers,
        ],
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_submitted=Count("answers", filter=Q(answers__state=Answer.State.SUBMITTED)))
        )

    @admin.display(description=_("submitted answers"), ordering="_submitted")
    def submitted(self, obj):
        return obj._submitted

    @admin.display(description=_("compilation"))
    def compilation_link(self, obj):
        if not obj or not obj.pk or obj.status == Consultation.Status.DRAFT:
            return "–"
        url = reverse("admin:consultations_consultation_compilation", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Counts, comments and responses"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/sammanstallning/",
                self.admin_site.admin_view(self.compilation_view),
                name="consultations_consultation_compilation",
            ),
            *super().get_urls(),
        ]

    def compilation_view(self, request, pk):
        """Per section the counts of each position and every comment; the responses; publish; late answers."""
        consultation = get_object_or_404(Consultation, pk=pk)
        if not self.has_view_permission(request, consultation):
            raise PermissionDenied
        may_change = self.has_change_permission(request, consultation)
        compilation = selectors.compilation(consultation=consultation)
        posted = request.POST.get("form")
        form = CompilationForm(
            request.POST if posted == "compilation" else None,
            compilation=compilation,
            initial={"compilation_summary": consultation.compilation_summary},
        )
        without_answer = selectors.invited_organisations(consultation=consultation).exclude(
            pk__in=consultation.answers.filter(Q(state=Answer.State.SUBMITTED) | Q(late_allowed=True)).values(
                "organisation"
            )
        )
        late_form = LateAnswerForm(
            request.POST if posted == "late" else None, organisations=without_answer.order_by("name")
        )
        if request.method == "POST":
            if not may_change:
                raise PermissionDenied
            if posted == "late" and late_form.is_valid():
                return self._allow_late(request, consultation, late_form.cleaned_data["organisation"])
            if posted == "compilation" and form.is_valid():
                return self._save_compilation(request, consultation, compilation, form.cleaned_data)
        context = self._compilation_context(request, consultation, form, late_form, may_change)
        return TemplateResponse(request, "admin/consultations/compilation.html", context)

    def _allow_late(self, request, consultation, organisation):
        try:
            services.answer_allow_late(consultation=consultation, organisation=organisation, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(organisation)s may now submit a late answer; it will be marked as late.")
                % {"organisation": organisation.name},
                messages.SUCCESS,
            )
        return redirect(request.path)

    def _save_compilation(self, request, consultation, compilation, cleaned):
        for item in compilation:
            services.section_response_set(
                section=item.section, text=cleaned[f"response_{item.section.pk}"], by=request.user
            )
        Consultation.objects.filter(pk=consultation.pk).update(
            compilation_summary=cleaned["compilation_summary"].strip()
        )
        services.pages_changed()
        self.message_user(request, _("The responses are saved."), messages.SUCCESS)
        if "publish" in request.POST:
            # Saved; publishing mails every invited organisation, so it asks first.
            return publish_compilations(
                self,
                request,
                Consultation.objects.filter(pk=consultation.pk),
                action="publish_compilations",
                form_url=reverse("admin:consultations_consultation_changelist"),
            )
        return redirect(request.path)

    def _compilation_context(self, request, consultation, form, late_form, may_change) -> dict:
        counts = Answer.objects.filter(consultation=consultation).aggregate(
            submitted=Count("pk", filter=Q(state=Answer.State.SUBMITTED)),
            drafts=Count("pk", filter=Q(state=Answer.State.DRAFT)),
            late=Count("pk", filter=Q(late=True)),
        )
        return {
            **self.admin_site.each_context(request),
            "title": _("Compilation: %(title)s") % {"title": consultation.title},
            "opts": self.model._meta,
            "original": consultation,
            "consultation": consultation,
            "items": [(item, field, position_chart(item.counts)) for item, field in form.items()],
            "form": form,
            "late_form": late_form,
            "may_change": may_change,
            "counts": counts,
            "invited_count": selectors.invited_organisations(consultation=consultation).count(),
            "answers_public": consultation.answers_are_public(),
        }


class SectionAnswerInline(admin.TabularInline):
    model = SectionAnswer
    extra = 0
    fields = ["section", "position", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PositionFilter(admin.SimpleListFilter):
    title = _("position on some section")
    parameter_name = "position"

    def lookups(self, request, model_admin):
        return Position.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(sections__position=self.value()).distinct()
        return queryset


@admin.action(description=_("Reopen the submitted answers so the organisation can change them"), permissions=["change"])
def reopen_answers(modeladmin, request, queryset):
    def perform(item, *, choices, data):
        services.answer_reopen(answer=item, by=request.user)
        return _("reopened.")

    return confirm_action(
        modeladmin,
        request,
        queryset.select_related("consultation", "organisation"),
        title=_("Reopen answers"),
        preview=lambda item: services.answer_reopen_preview(answer=item),
        perform=perform,
        button=_("Yes, reopen"),
    )


@admin.action(description=_("Accept a late answer from these organisations"), permissions=["change"])
def allow_late_answers(modeladmin, request, queryset):
    done = 0
    for item in queryset.select_related("consultation", "organisation"):
        try:
            services.answer_allow_late(consultation=item.consultation, organisation=item.organisation, by=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{item}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(n)d organisation may answer late.", "%(n)d organisations may answer late.", done) % {"n": done},
            messages.SUCCESS,
        )


@admin.register(Answer)
class AnswerAdmin(MandatedActAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [AnswerResource]
    export_formats = ADMIN_FORMATS
    list_display = ["organisation", "consultation", "state", "late", "late_allowed", "submitted_at"]
    list_filter = ["state", "late", "late_allowed", PositionFilter, "consultation"]
    search_fields = ["organisation__name", "organisation__organisation_number", "general_comment"]
    list_select_related = ["organisation", "consultation"]
    readonly_fields = [
        "consultation",
        "organisation",
        "state",
        "general_comment",
        "attachment_link",
        "late_allowed",
        "late",
        "created_by",
        "submitted_by",
        "submitted_at",
        *MANDATED_ACT_FIELDS,
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    inlines = [SectionAnswerInline]
    actions = [reopen_answers, allow_late_answers]

    def has_add_permission(self, request):
        return False  # answers are written by the organisations

    @admin.display(description=_("attachment"))
    def attachment_link(self, obj):
        if not obj.attachment:
            return "–"
        url = reverse("consultations:answer_attachment", args=[obj.consultation.slug, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the PDF"))


@admin.register(SectionAnswer)
class SectionAnswerAdmin(ExportMixin, admin.ModelAdmin):
    """Every position and comment, filterable: the raw material of the compilation, with export."""

    resource_classes = [SectionAnswerResource]
    export_formats = ADMIN_FORMATS
    list_display = ["section", "answer", "position"]
    list_filter = ["position", "answer__state", "answer__consultation"]
    search_fields = ["comment", "answer__organisation__name", "section__heading"]
    list_select_related = ["section", "answer__organisation", "answer__consultation"]
    readonly_fields = ["answer", "section", "position", "comment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["consultation", "organisation", "kind", "created_at"]
    list_filter = ["kind", "consultation"]
    search_fields = ["organisation__name"]
    list_select_related = ["consultation", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
