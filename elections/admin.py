from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_case_numbers import assign_case_numbers
from core.admin_confirm import confirm_action
from core.admin_translated import BilingualAdminMixin
from organisations.mandate_admin import MANDATED_ACT_FIELDS, MandatedActAdminMixin

from . import services
from .forms import WithdrawForm
from .models import BallotCast, Nomination, SelectionRound


class NominationInline(admin.TabularInline):
    model = Nomination
    fields = ["candidate_name", "candidate_organisation", "nominating_organisation", "status", "approvals", "elected"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


def _confirm(modeladmin, request, queryset, *, title, preview, perform, button, form_class=None):
    return confirm_action(
        modeladmin,
        request,
        queryset,
        title=title,
        preview=lambda obj: preview(round=obj),
        perform=perform,
        button=button,
        form_class=form_class,
    )


class SelectionRoundAdminForm(forms.ModelForm):
    # No Meta: the admin builds the form's class per request (with the host's region in scope).

    def clean_voting_closes(self):
        """While voting is open, its close may move later, never earlier: the organisations were told when it
        closes, and a count brought forward to just after the first ballots would show how those few voted."""
        closes = self.cleaned_data.get("voting_closes")
        stored = self.instance
        voting = stored.pk and stored.status == SelectionRound.Status.VOTING and stored.voting_opens <= timezone.now()
        if closes and voting and closes < stored.voting_closes:
            raise forms.ValidationError(
                _("While voting is open, its close can only be moved later (it was %(closes)s).")
                % {"closes": timezone.localtime(stored.voting_closes).strftime("%Y-%m-%d %H:%M")}
            )
        return closes


@admin.register(SelectionRound)
class SelectionRoundAdmin(BilingualAdminMixin, SimpleHistoryAdmin):
    form = SelectionRoundAdminForm
    list_display = [
        "title",
        "case_number",
        "agreement",
        "status",
        "phase_now",
        "seats",
        "nomination_closes",
        "voting_closes",
        "turnout",
    ]
    list_filter = ["status", "agreement"]
    search_fields = ["title", "agreement__title", "case_number"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "draw_record", "counted_at", "published_at"]
    inlines = [NominationInline]
    actions = ["open_nominations", "open_voting", "count", "publish", "step_back", assign_case_numbers]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "agreement",
                    "title",
                    "slug",
                    "case_number",
                    "description",
                    "working_group",
                    "seats",
                    "nominations_per_organisation",
                ]
            },
        ),
        (
            _("Periods"),
            {
                "fields": [
                    "nomination_opens",
                    "nomination_closes",
                    "voting_opens",
                    "voting_closes",
                    "term_start",
                    "term_end",
                ]
            },
        ),
        (_("Result"), {"fields": ["status", "draw_record", "counted_at", "published_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        """Dates that have already taken effect are fixed: a round's status and its dates always agree.

        To change them, take the step back first (``round_step_back``)."""
        fields = list(super().get_readonly_fields(request, obj))
        status = obj.status if obj is not None else SelectionRound.Status.DRAFT
        if status == SelectionRound.Status.NOMINATING:
            fields += ["nomination_opens"]
        elif status == SelectionRound.Status.VOTING:
            fields += ["nomination_opens", "nomination_closes", "voting_opens", "seats"]
        elif status in (SelectionRound.Status.COUNTED, SelectionRound.Status.PUBLISHED):
            fields += ["nomination_opens", "nomination_closes", "voting_opens", "voting_closes", "seats"]
        return fields

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).select_related("agreement").annotate(casts_count=Count("casts"))

    @admin.display(description=_("as the public sees it now"))
    def phase_now(self, obj):
        """The status read with the dates, as every public page shows it (``SelectionRound.phase``)."""
        return obj.phase_display()

    @admin.display(description=_("ballots cast"), ordering="casts_count")
    def turnout(self, obj):
        return obj.casts_count

    # Every status change shows what it will do, to how many, and what cannot be undone, before it runs.

    @admin.action(description=_("Open nominations (the signatories are told)"), permissions=["change"])
    def open_nominations(self, request, queryset):
        def perform(selection_round, *, choices, data):
            sent = services.round_open_nominations(round=selection_round, by=request.user, **choices)
            return _("nominations are open; %(count)s e-mail(s) queued.") % {"count": sent}

        return _confirm(
            self,
            request,
            queryset,
            title=_("Open nominations"),
            preview=services.round_open_nominations_preview,
            perform=perform,
            button=_("Yes, open nominations"),
        )

    @admin.action(description=_("Open voting (the signatories are told)"), permissions=["change"])
    def open_voting(self, request, queryset):
        def perform(selection_round, *, choices, data):
            sent = services.round_open_voting(round=selection_round, by=request.user, **choices)
            return _("voting is open; %(count)s e-mail(s) queued.") % {"count": sent}

        return _confirm(
            self,
            request,
            queryset,
            title=_("Open voting"),
            preview=services.round_open_voting_preview,
            perform=perform,
            button=_("Yes, open voting"),
        )

    @admin.action(description=_("Count the votes"), permissions=["change"])
    def count(self, request, queryset):
        def perform(selection_round, *, choices, data):
            services.round_count(round=selection_round)
            return _("counted.")

        return _confirm(
            self,
            request,
            queryset,
            title=_("Count the votes"),
            preview=services.round_count_preview,
            perform=perform,
            button=_("Yes, count the votes"),
        )

    @admin.action(description=_("Publish the result (the elected join the working group)"), permissions=["change"])
    def publish(self, request, queryset):
        def perform(selection_round, *, choices, data):
            services.round_publish(round=selection_round, by=request.user)
            return _("result published.")

        return _confirm(
            self,
            request,
            queryset,
            title=_("Publish the result"),
            preview=services.round_publish_preview,
            perform=perform,
            button=_("Yes, publish the result"),
        )

    @admin.action(
        description=_("Take the last step back (voting before any ballot, nominations before any nomination)"),
        permissions=["change"],
    )
    def step_back(self, request, queryset):
        def perform(selection_round, *, choices, data):
            selection_round = services.round_step_back(round=selection_round, by=request.user)
            return _("back to %(status)s.") % {"status": selection_round.get_status_display()}

        return _confirm(
            self,
            request,
            queryset,
            title=_("Take the last step back"),
            preview=services.round_step_back_preview,
            perform=perform,
            button=_("Yes, take the step back"),
        )


@admin.register(Nomination)
class NominationAdmin(SimpleHistoryAdmin):
    list_display = [
        "candidate_name",
        "candidate_organisation",
        "nominating_organisation",
        "round",
        "status",
        "approvals",
        "elected",
    ]
    list_filter = ["status", "elected", "round"]
    search_fields = ["candidate_name", "candidate_organisation__name", "nominating_organisation__name"]
    list_select_related = ["candidate_organisation", "nominating_organisation", "round"]
    readonly_fields = [
        "round",
        "nominating_organisation",
        "nominated_by",
        "candidate_organisation",
        "status",
        "responded_at",
        "withdrawal_reason",
        "approvals",
        "elected",
        "drawn_by_lot",
        "created_at",
    ]
    fields = [
        "round",
        "candidate_name",
        "candidate_title",
        "candidate_organisation",
        "candidate_email",
        "presentation",
        *readonly_fields[1:3],
        *readonly_fields[4:],
    ]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False  # nominations come from the signatory organisations

    def has_delete_permission(self, request, obj=None):
        """A nomination stays once voting has opened: its approvals are counted (withdraw it instead)."""
        if obj is not None and obj.round.status not in (SelectionRound.Status.DRAFT, SelectionRound.Status.NOMINATING):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Withdraw the nomination (with a reason)"), permissions=["change"])
    def withdraw(self, request, queryset):
        def perform(nomination, *, choices, data):
            services.nomination_withdraw(nomination=nomination, reason=data["reason"], by=request.user)
            return _("withdrawn.")

        return confirm_action(
            self,
            request,
            queryset.select_related("round", "nominating_organisation"),
            title=_("Withdraw nominations"),
            preview=lambda nomination: services.nomination_withdraw_preview(nomination=nomination),
            perform=perform,
            button=_("Withdraw"),
            form_class=WithdrawForm,
        )


@admin.register(BallotCast)
class BallotCastAdmin(MandatedActAdminMixin, admin.ModelAdmin):
    """Who voted and when, under which mandate and how authenticated — never what (ballots are not in the
    admin at all)."""

    list_display = ["organisation", "round", "cast_by", "cast_at"]
    fieldsets = [
        (None, {"fields": ["round", "organisation", "cast_by", "cast_at"]}),
        MandatedActAdminMixin.mandated_act_fieldset,
    ]
    readonly_fields = ["round", "organisation", "cast_by", "cast_at", *MANDATED_ACT_FIELDS]
    list_filter = ["round"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "round", "cast_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
