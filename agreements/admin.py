"""Coordinators' admin: agreements with their versions, action plans and working group; signatories with
verify / withdraw actions, their history, and the import of existing signatories from a spreadsheet."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import ExtractYear
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_case_numbers import assign_case_numbers
from core.admin_confirm import confirm_action
from core.admin_history import ReadableHistoryAdmin
from core.admin_translated import BilingualAdminMixin
from core.files import ADMIN_FILE_OVERRIDES
from core.forms import parse_int
from core.registry import portal
from organisations.mandate_admin import MANDATED_ACT_FIELDS, MandatedActAdminMixin

from . import services
from .forms import SignatoryImportForm, WithdrawForm
from .models import Action, ActionPlan, Agreement, AgreementVersion, Signatory, WorkingGroupMember
from .spreadsheets import spreadsheet_rows


class AgreementVersionInline(admin.StackedInline):
    # Stacked: a version's text is long, and is compared with the other versions' on the public page.
    model = AgreementVersion
    extra = 0
    fields = ["number", "date", "published", "change_note", "text", "document"]
    formfield_overrides = ADMIN_FILE_OVERRIDES


class ActionPlanInline(BilingualAdminMixin, admin.TabularInline):
    model = ActionPlan
    extra = 0
    fields = ["title", "period_start", "period_end", "status", "decided_by", "decided_on", "case_number"]
    show_change_link = True


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 0
    fields = ["name", "side", "affiliation", "role", "term_start", "term_end", "order"]


@admin.register(Agreement)
class AgreementAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["title", "case_number", "status", "adopted_on"]
    list_filter = ["status"]
    search_fields = ["title", "summary", "case_number"]
    prepopulated_fields = {"slug": ["title"]}
    # A plain select, not an autocomplete: agreements are few, and select2's box is empty without JavaScript
    # and has no accessible name (axe: aria-input-field-name).
    inlines = [AgreementVersionInline, ActionPlanInline, WorkingGroupMemberInline]
    actions = portal.admin_actions("agreements.agreement", [assign_case_numbers])  # + "Exportera till e-arkiv"


class ActionInline(BilingualAdminMixin, admin.TabularInline):
    model = Action
    extra = 0
    fields = ["order", "area", "title", "description", "responsible", "status"]


@admin.register(ActionPlan)
class ActionPlanAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["title", "case_number", "agreement", "period_start", "period_end", "status", "decided_on"]
    list_filter = ["status", "agreement"]
    search_fields = ["title", "summary", "case_number"]
    actions = [assign_case_numbers]
    list_select_related = ["agreement"]
    inlines = [ActionInline]
    formfield_overrides = ADMIN_FILE_OVERRIDES


@admin.register(Action)
class ActionAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["title", "action_plan", "area", "responsible", "status"]
    list_filter = ["status", "responsible", "action_plan"]
    search_fields = ["title", "description", "area"]
    list_select_related = ["action_plan"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    list_display = ["agreement", "number", "case_number", "date", "published"]
    list_filter = ["agreement", "published"]
    search_fields = ["agreement__title", "change_note", "case_number"]
    actions = [assign_case_numbers]
    list_select_related = ["agreement"]
    formfield_overrides = ADMIN_FILE_OVERRIDES


@admin.register(WorkingGroupMember)
class WorkingGroupMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "side", "affiliation", "role", "agreement"]
    list_filter = ["side", "agreement"]
    search_fields = ["name", "affiliation"]
    list_select_related = ["agreement"]


class SignedYearFilter(admin.SimpleListFilter):
    title = _("year signed")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Signatory.objects.annotate(y=ExtractYear("signed_on")).values_list("y", flat=True).distinct().order_by("-y")
        )
        return [(str(y), str(y)) for y in years if y]

    def queryset(self, request, queryset):
        year = parse_int(self.value(), minimum=1, maximum=9999)  # a year a date holds: "²" or "0" is none
        if year is not None:
            return queryset.filter(signed_on__year=year)
        return queryset


class WithdrawalRequestedFilter(admin.SimpleListFilter):
    title = _("withdrawal requested")
    parameter_name = "withdrawal_requested"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes, not yet confirmed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(withdrawal_requested_at__isnull=False).exclude(status=Signatory.Status.WITHDRAWN)
        return queryset


@admin.register(Signatory)
class SignatoryAdmin(MandatedActAdminMixin, ReadableHistoryAdmin):
    list_display = [
        "organisation",
        "organisation_number",
        "agreement",
        "signed_on",
        "method",
        "status",
        "public",
        "withdrawal_requested_at",
    ]
    list_filter = ["status", "method", SignedYearFilter, WithdrawalRequestedFilter, "public", "agreement"]
    search_fields = ["organisation__name", "organisation__organisation_number"]
    list_select_related = ["organisation", "agreement"]
    raw_id_fields = ["organisation"]
    date_hierarchy = "signed_on"
    actions = ["verify_selected", "withdraw_selected"]
    readonly_fields = [
        "board_decision_link",
        "requested_by",
        "requested_at",
        "verified_at",
        "verified_by",
        "withdrawal_requested_at",
        "withdrawn_by",
        "created_at",
        *MANDATED_ACT_FIELDS,
    ]
    fieldsets = [
        (None, {"fields": ["agreement", "organisation", "signed_on", "method", "status", "public"]}),
        (_("Signer"), {"fields": ["signed_by_name", "signed_by_title", "confirms_authority", "board_decision_link"]}),
        (_("Verification"), {"fields": ["requested_by", "requested_at", "verified_at", "verified_by"]}),
        MandatedActAdminMixin.mandated_act_fieldset,
        (_("Withdrawal"), {"fields": ["withdrawal_requested_at", "withdrawn_on", "withdrawal_reason", "withdrawn_by"]}),
        (_("Record"), {"fields": ["created_at"]}),
    ]
    change_list_template = "admin/agreements/signatory/change_list.html"
    # The history page lists each step with who made it (history_user) and when.
    history_list_display = ["status", "method", "withdrawal_requested_at", "withdrawn_on"]

    def get_readonly_fields(self, request, obj=None):
        # Verification and withdrawal go through the actions, which record who and when and send the e-mails.
        if obj is not None:
            return [*self.readonly_fields, "status", "agreement", "organisation"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # A paper signature entered as verified is stored as pending and verified by this coordinator
        # through the service, like the action: who and when are recorded and the representatives told.
        verify = not change and obj.status == Signatory.Status.VERIFIED
        if verify:
            obj.status = Signatory.Status.PENDING
        super().save_model(request, obj, form, change)
        if verify:
            verified = services.signatory_verify(signatory=obj, by=request.user)
            obj.status, obj.verified_at, obj.verified_by = verified.status, verified.verified_at, verified.verified_by

    @admin.display(description=_("organisation number"), ordering="organisation__organisation_number")
    def organisation_number(self, obj):
        return obj.organisation.organisation_number

    @admin.display(description=_("board decision (PDF)"))
    def board_decision_link(self, obj):
        if not obj.board_decision:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("agreements:board_decision", args=[obj.pk]), _("Open the board decision")
        )

    def get_urls(self):
        custom = [
            path(
                "importera/",
                self.admin_site.admin_view(self.import_view),
                name="agreements_signatory_import",
            )
        ]
        return custom + super().get_urls()

    @admin.action(description=_("Verify the selected signatures"), permissions=["change"])
    def verify_selected(self, request, queryset):
        # The first post shows what will happen and to how many (core/admin_confirm.py); the confirming
        # post verifies. A signature that is not pending is listed with its reason and left as it was.
        def perform(signatory, *, choices, data):
            problems = services.signatory_verify_preview(signatory=signatory).problems
            if problems:
                raise ValidationError(problems)
            services.signatory_verify(signatory=signatory, by=request.user)
            return _("verified; the representatives are told.")

        return confirm_action(
            self,
            request,
            queryset.select_related("agreement", "organisation", "requested_by"),
            title=_("Verify the selected signatures"),
            preview=lambda signatory: services.signatory_verify_preview(signatory=signatory),
            perform=perform,
            button=_("Yes, verify"),
        )

    @admin.action(description=_("Withdraw the selected signatures…"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        queryset = queryset.exclude(status=Signatory.Status.WITHDRAWN).select_related("organisation")
        if "apply" in request.POST:
            form = WithdrawForm(request.POST)
            if form.is_valid():
                done, failed = 0, []
                for signatory in queryset:
                    try:
                        services.signatory_withdraw(
                            signatory=signatory,
                            by=request.user,
                            reason=form.cleaned_data["reason"],
                            withdrawn_on=form.cleaned_data["withdrawn_on"],
                        )
                        done += 1
                    except ValidationError as exc:
                        failed.append(f"{signatory.organisation}: {' '.join(exc.messages)}")
                self.message_user(
                    request,
                    ngettext("%(n)d signature withdrawn.", "%(n)d signatures withdrawn.", done) % {"n": done},
                    messages.SUCCESS,
                )
                for line in failed:
                    self.message_user(request, line, messages.ERROR)
                return None
        else:
            reasons = {s.withdrawal_reason for s in queryset if s.withdrawal_reason}
            initial = {"reason": reasons.pop()} if len(reasons) == 1 else {}
            form = WithdrawForm(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw signatures"),
            "signatories": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/agreements/signatory/withdraw.html", context)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = SignatoryImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                rows = spreadsheet_rows(form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                report = services.signatory_import(agreement=form.cleaned_data["agreement"], rows=rows, by=request.user)
                self.message_user(
                    request,
                    ngettext("%(n)d signatory imported.", "%(n)d signatories imported.", report.created)
                    % {"n": report.created},
                    messages.SUCCESS if not report.errors else messages.WARNING,
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import signatories from a spreadsheet"),
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/agreements/signatory/import.html", context)
