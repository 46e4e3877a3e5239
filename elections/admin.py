from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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


def _run(modeladmin, request, queryset, step, done_message):
    for selection_round in queryset:
        try:
            step(round=selection_round)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{selection_round}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{selection_round}: {done_message}", messages.SUCCESS)


@admin.register(SelectionRound)
class SelectionRoundAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agreement", "status", "seats", "nomination_closes", "voting_closes", "turnout"]
    list_filter = ["status", "agreement"]
    search_fields = ["title", "agreement__title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "draw_record", "counted_at", "published_at"]
    inlines = [NominationInline]
    actions = ["open_nominations", "open_voting", "count", "publish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "agreement",
                    "title",
                    "slug",
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

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).select_related("agreement").annotate(casts_count=Count("casts"))

    @admin.display(description=_("ballots cast"), ordering="casts_count")
    def turnout(self, obj):
        return obj.casts_count

    @admin.action(description=_("Open nominations (the signatories are told)"))
    def open_nominations(self, request, queryset):
        _run(self, request, queryset, services.round_open_nominations, _("nominations are open."))

    @admin.action(description=_("Open voting (the signatories are told)"))
    def open_voting(self, request, queryset):
        _run(self, request, queryset, services.round_open_voting, _("voting is open."))

    @admin.action(description=_("Count the votes"))
    def count(self, request, queryset):
        _run(self, request, queryset, services.round_count, _("counted."))

    @admin.action(description=_("Publish the result (the elected join the working group)"))
    def publish(self, request, queryset):
        _run(self, request, queryset, services.round_publish, _("result published."))


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

    @admin.action(description=_("Withdraw the nomination (with a reason)"))
    def withdraw(self, request, queryset):
        form = WithdrawForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            for nomination in queryset:
                try:
                    services.nomination_withdraw(
                        nomination=nomination, reason=form.cleaned_data["reason"], by=request.user
                    )
                except ValidationError as exc:
                    self.message_user(request, f"{nomination}: {' '.join(exc.messages)}", messages.ERROR)
                else:
                    self.message_user(request, _("Withdrawn: %(name)s") % {"name": nomination.candidate_name})
            return None
        return render(
            request,
            "admin/elections/withdraw.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "nominations": queryset,
                "opts": self.model._meta,
                "title": _("Withdraw nominations"),
            },
        )


@admin.register(BallotCast)
class BallotCastAdmin(admin.ModelAdmin):
    """Who voted and when — never what (ballots are not in the admin at all)."""

    list_display = ["organisation", "round", "cast_by", "cast_at"]
    list_filter = ["round"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "round", "cast_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
