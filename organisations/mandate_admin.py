"""The coordinators' queue of mandates (issue 23): verify, refuse, revoke, each through its service and
behind the confirmation page (core/admin_confirm.py), each mailing the holder."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core.admin_confirm import confirm_action
from core.files import ADMIN_FILE_OVERRIDES
from core.forms import parse_id

from . import mandates as services
from .mandate_forms import MandateReasonForm, MandateVerifyForm
from .models import Mandate, Organisation


class ExpiresSoonFilter(admin.SimpleListFilter):
    """Verified mandates whose last day is within 30 days (or has passed)."""

    title = _("expiry")
    parameter_name = "expires"

    def lookups(self, request, model_admin):
        return [("30", _("expires within 30 days")), ("past", pgettext_lazy("mandate", "expired"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "30":
            return queryset.expiring(within_days=services.EXPIRY_NOTICE_DAYS)
        if self.value() == "past":
            return queryset.filter(status=Mandate.Status.VERIFIED, valid_to__lt=today)
        return queryset


class OrganisationFilter(admin.SimpleListFilter):
    """The organisations that have mandates (not every organisation of the region)."""

    title = _("organisation")
    parameter_name = "organisation"

    def lookups(self, request, model_admin):
        ids = Mandate.objects.values("representative__organisation_id")
        return [(str(pk), name) for pk, name in Organisation.objects.filter(pk__in=ids).values_list("pk", "name")]

    def queryset(self, request, queryset):
        organisation_id = parse_id(self.value())  # "abc" or 30 digits: no organisation, the list unfiltered
        if organisation_id is not None:
            return queryset.filter(representative__organisation_id=organisation_id)
        return queryset


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "holder", "kind", "state", "valid_from", "valid_to", "requested_at"]
    list_filter = ["status", "kind", ExpiresSoonFilter, OrganisationFilter]
    list_select_related = ["representative__organisation", "representative__user"]
    search_fields = [
        "representative__organisation__name",
        "representative__organisation__organisation_number",
        "representative__user__email",
    ]
    date_hierarchy = "requested_at"
    raw_id_fields = ["representative"]
    formfield_overrides = ADMIN_FILE_OVERRIDES
    readonly_fields = [
        "status",
        "requested_at",
        "verified_by",
        "verified_at",
        "refused_at",
        "revoked_by",
        "revoked_at",
        "refusal_reason",
        "expiry_notice_sent_at",
    ]
    fields = [
        "representative",
        "kind",
        "evidence",
        "verification_note",
        "message",
        "valid_from",
        "valid_to",
        *readonly_fields,
    ]
    actions = ["verify", "refuse", "revoke"]

    @admin.display(description=_("organisation"), ordering="representative__organisation__name")
    def organisation(self, obj):
        return obj.representative.organisation

    @admin.display(description=_("holder"), ordering="representative__user__email")
    def holder(self, obj):
        return obj.representative.user.email

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        return obj.state_display

    @staticmethod
    def _decided(obj) -> bool:
        return obj is not None and obj.status != Mandate.Status.REQUESTED

    def get_fields(self, request, obj=None):
        # A private file has no URL: a decided mandate shows its evidence as a link to the checking view.
        if self._decided(obj):
            return [name if name != "evidence" else "evidence_link" for name in self.fields]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        # A decided mandate keeps what it was decided on; a coordinator records a new one instead.
        if self._decided(obj):
            return [*self.readonly_fields, "representative", "kind", "evidence_link", "valid_from", "valid_to"]
        return self.readonly_fields

    @admin.display(description=_("evidence (PDF)"))
    def evidence_link(self, obj):
        url = obj.evidence_url
        return format_html('<a href="{}">{}</a>', url, _("Open the evidence")) if url else "–"

    def _step(self, request, queryset, *, title, preview, perform, button, form_class):
        return confirm_action(
            self,
            request,
            queryset.select_related("representative__organisation", "representative__user"),
            title=title,
            preview=lambda mandate: preview(mandate=mandate),
            perform=perform,
            button=button,
            form_class=form_class,
        )

    @admin.action(description=_("Verify the selected mandates"), permissions=["change"])
    def verify(self, request, queryset):
        def perform(mandate, *, choices, data):
            services.mandate_verify(mandate=mandate, by=request.user, note=data.get("note", ""))
            return _("verified; the holder is told.")

        return self._step(
            request,
            queryset,
            title=_("Verify mandates"),
            preview=services.mandate_verify_preview,
            perform=perform,
            button=_("Yes, verify"),
            form_class=MandateVerifyForm,
        )

    @admin.action(description=_("Refuse the selected requests (with a reason)"), permissions=["change"])
    def refuse(self, request, queryset):
        def perform(mandate, *, choices, data):
            services.mandate_refuse(mandate=mandate, by=request.user, reason=data["reason"])
            return _("refused; the holder is told why.")

        return self._step(
            request,
            queryset,
            title=_("Refuse requests for mandates"),
            preview=services.mandate_refuse_preview,
            perform=perform,
            button=_("Refuse"),
            form_class=MandateReasonForm,
        )

    @admin.action(description=_("Revoke the selected mandates (with a reason)"), permissions=["change"])
    def revoke(self, request, queryset):
        def perform(mandate, *, choices, data):
            services.mandate_revoke(mandate=mandate, by=request.user, reason=data["reason"])
            return _("revoked; the holder is told why.")

        return self._step(
            request,
            queryset,
            title=_("Revoke mandates"),
            preview=services.mandate_revoke_preview,
            perform=perform,
            button=_("Revoke"),
            form_class=MandateReasonForm,
        )


# --- The audit trail of an act under a mandate, shown read-only on the act's own admin page (issue 23) -----

MANDATED_ACT_FIELDS = ["mandate_used", "auth_method", "auth_level", "authenticated_at"]


class MandatedActAdminMixin:
    """For the admin of a ``MandatedAct`` model: the mandate as a link to its page (which only the region's
    coordinators open). List ``MANDATED_ACT_FIELDS`` in the admin's ``readonly_fields``: never edited by hand."""

    mandated_act_fieldset = (_("Mandate and authentication"), {"fields": MANDATED_ACT_FIELDS})

    @admin.display(description=_("mandate used"))
    def mandate_used(self, obj):
        mandate = getattr(obj, "mandate", None)
        if mandate is None:
            return "–"
        label = _("%(kind)s, %(holder)s, valid %(start)s–%(end)s") % {
            "kind": mandate.get_kind_display(),
            "holder": mandate.representative.user,
            "start": mandate.valid_from,
            "end": mandate.valid_to,
        }
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:organisations_mandate_change", args=[mandate.pk]), label
        )
