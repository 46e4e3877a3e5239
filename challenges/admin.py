"""Coordinators' admin: the moderation queue (proposed first), status actions through the services,
participations, updates and documents inline, linked meetings, talks and actions, filters, search,
history and export."""

from django.contrib import admin, messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_case_numbers import assign_case_numbers
from core.admin_confirm import confirm_action
from core.admin_translated import BilingualAdminMixin
from core.files import ADMIN_FILE_OVERRIDES
from core.spreadsheets import ADMIN_FORMATS

from . import services
from .forms import ReasonForm
from .models import Challenge, ChallengeDocument, EmailPreference, Participation, Update
from .resources import ChallengeResource


class ParticipationInline(admin.StackedInline):  # stacked: every field has its own label
    model = Participation
    extra = 0
    fields = ["organisation", "role", "joined_by", "joined_at"]
    readonly_fields = ["joined_by", "joined_at"]
    autocomplete_fields = ["organisation"]


class UpdateInline(BilingualAdminMixin, admin.StackedInline):
    model = Update
    extra = 1  # one empty form, so an update can be posted without JavaScript
    fields = ["date", "kind", "title", "text", "author", "notified_at"]
    readonly_fields = ["author", "notified_at"]

    def get_formset(self, request, obj=None, **kwargs):
        """Say before saving who a new update is mailed to (``services.participant_recipients``)."""
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.is_public and "title" in formset.form.base_fields:
            count = len(services.participant_recipients(challenge=obj))
            formset.form.base_fields["title"].help_text = ngettext(
                "Saving a new update e-mails it to %(count)d person taking part; it cannot be recalled.",
                "Saving a new update e-mails it to %(count)d people taking part; it cannot be recalled.",
                count,
            ) % {"count": count}
        return formset


class DocumentInline(admin.TabularInline):
    model = ChallengeDocument
    extra = 0
    fields = ["title", "file", "order"]
    formfield_overrides = ADMIN_FILE_OVERRIDES  # a private file has no storage URL: link to its view


def _text_form(label, help_text):
    """The reason or the outcome a step needs, on its confirmation page."""

    def make(data=None):
        form = ReasonForm(data)
        form.fields["text"].label = label
        form.fields["text"].help_text = help_text
        return form

    return make


@admin.register(Challenge)
class ChallengeAdmin(BilingualAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ChallengeResource]
    formats = ADMIN_FORMATS
    list_display = [
        "title",
        "case_number",
        "status",
        "raised_by",
        "raising_organisation",
        "published",
        "in_focus",
        "participant_count",
        "proposed_at",
    ]
    list_filter = ["status", "raised_by", "published", "in_focus", "areas", "municipalities"]
    search_fields = ["title", "summary", "description", "raising_organisation__name", "case_number"]
    list_select_related = ["raising_organisation"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["raising_organisation", "contact_coordinator", "programme_items", "actions"]
    # A plain multiple select without JavaScript (autocomplete widgets need it to offer choices).
    filter_horizontal = ["areas", "municipalities", "meetings"]
    readonly_fields = [
        "status",
        "decline_reason",
        "raised_by_user",
        "proposed_at",
        "accepted_at",
        "started_at",
        "concluded_at",
        "declined_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "case_number", "summary", "description", "raised_by", "raising_organisation"]},
        ),
        (_("Where and what"), {"fields": ["areas", "municipalities"]}),
        (
            _("Status"),
            {"fields": ["status", "published", "in_focus", "contact_coordinator", "decline_reason", "outcome"]},
        ),
        (_("Linked meetings and actions"), {"fields": ["meetings", "programme_items", "actions"]}),
        (
            _("Dates"),
            {"fields": ["raised_by_user", "proposed_at", "accepted_at", "started_at", "concluded_at", "declined_at"]},
        ),
    ]
    inlines = [ParticipationInline, UpdateInline, DocumentInline]
    actions = ["accept", "start", "decline", "conclude", "step_back", assign_case_numbers]

    class Media:
        css = {"all": ["challenges/admin.css"]}

    def get_queryset(self, request):
        moderation = Case(
            When(status=Challenge.Status.PROPOSED, then=Value(0)),
            When(status=Challenge.Status.IN_PROGRESS, then=Value(1)),
            When(status=Challenge.Status.ACCEPTED, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        # Annotate before ordering (ModelAdmin.get_queryset orders first): the queue shows proposed first.
        return (
            self.model._default_manager.get_queryset()
            .annotate(moderation_order=moderation, n_participants=Count("participations", distinct=True))
            .order_by(*self.get_ordering(request))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "slug" in form.base_fields:
            # Filled from the title in JavaScript; without it, save_model makes one.
            form.base_fields["slug"].required = False
        return form

    def get_ordering(self, request):
        return ["moderation_order", "-proposed_at", "-pk"]

    @admin.display(description=_("organisations"), ordering="n_participants")
    def participant_count(self, obj):
        return obj.n_participants

    def save_model(self, request, obj, form, change):
        if not change:
            # Created by a coordinator (the region raising its own challenge): proposed, then accepted by an action.
            obj.status = Challenge.Status.PROPOSED
            obj.proposed_at = timezone.now()
            obj.published = False
        if not obj.slug:
            obj.slug = services.challenge_slug_unique(obj.title, exclude_pk=obj.pk)
        if not change and obj.contact_coordinator_id is None and request.user.is_staff:
            obj.contact_coordinator = request.user
        # Kept on the request (the admin instance is shared between threads): save_related compares.
        request._challenge_meetings_before = set(obj.meetings.values_list("pk", flat=True)) if change else set()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Update:
            updates = formset.save(commit=False)
            for deleted in formset.deleted_objects:
                deleted.delete()
            new = []
            for update in updates:
                if update.pk is None:
                    update.author = request.user
                    new.append(update)
                update.save()
            for update in new:
                services.update_notify(update=update)
        elif formset.model is Participation:
            participations = formset.save(commit=False)
            for deleted in formset.deleted_objects:
                deleted.delete()
            for participation in participations:
                if participation.pk is None:
                    participation.joined_by = request.user
                participation.save()
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        challenge = form.instance
        before = getattr(request, "_challenge_meetings_before", set())
        added = [m for m in challenge.meetings.all() if m.pk not in before]
        if added:
            count = services.challenge_meetings_notify(challenge=challenge, meetings=added)
            if count:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d e-mail about the linked meeting was queued.",
                        "%(count)d e-mails about the linked meetings were queued.",
                        count,
                    )
                    % {"count": count},
                    messages.INFO,
                )

    # Every status step shows what it will do, to how many, and what cannot be undone, before it runs
    # (core/admin_confirm.py); the services check the preconditions.

    def _step(self, request, queryset, *, title, preview, perform, button, form_class=None):
        return confirm_action(
            self,
            request,
            queryset,
            title=title,
            preview=lambda challenge: preview(challenge=challenge),
            perform=perform,
            button=button,
            form_class=form_class,
        )

    @admin.action(description=_("Accept the selected challenges (they become public)"), permissions=["change"])
    def accept(self, request, queryset):
        def perform(challenge, *, choices, data):
            services.challenge_accept(challenge=challenge, by=request.user)
            return _("accepted and published; the raiser is told.")

        return self._step(
            request,
            queryset,
            title=_("Accept challenges"),
            preview=services.challenge_accept_preview,
            perform=perform,
            button=_("Yes, accept and publish"),
        )

    @admin.action(description=_("Move the selected challenges to in progress"), permissions=["change"])
    def start(self, request, queryset):
        def perform(challenge, *, choices, data):
            services.challenge_start(challenge=challenge, by=request.user)
            return _("in progress.")

        return self._step(
            request,
            queryset,
            title=_("Move challenges to in progress"),
            preview=services.challenge_start_preview,
            perform=perform,
            button=_("Yes, move to in progress"),
        )

    @admin.action(
        description=_("Decline the selected challenges (with a reason to the raiser)"), permissions=["change"]
    )
    def decline(self, request, queryset):
        def perform(challenge, *, choices, data):
            services.challenge_decline(challenge=challenge, by=request.user, reason=data["text"])
            return _("declined; the raiser is told.")

        return self._step(
            request,
            queryset,
            title=_("Decline challenges"),
            preview=services.challenge_decline_preview,
            perform=perform,
            button=_("Yes, decline"),
            form_class=_text_form(_("Reason"), _("Sent to the raiser and shown to them on the challenge's page.")),
        )

    @admin.action(description=_("Conclude the selected challenges (with their outcome)"), permissions=["change"])
    def conclude(self, request, queryset):
        def perform(challenge, *, choices, data):
            services.challenge_conclude(challenge=challenge, by=request.user, outcome=data["text"])
            return _("concluded.")

        return self._step(
            request,
            queryset,
            title=_("Conclude challenges"),
            preview=services.challenge_conclude_preview,
            perform=perform,
            button=_("Yes, conclude"),
            form_class=_text_form(_("Outcome"), _("What came of the challenge. Shown publicly.")),
        )

    @admin.action(
        description=_("Take the last step back (in progress or concluded; nobody was mailed)"), permissions=["change"]
    )
    def step_back(self, request, queryset):
        def perform(challenge, *, choices, data):
            challenge = services.challenge_step_back(challenge=challenge, by=request.user)
            return _("back to %(status)s.") % {"status": challenge.get_status_display()}

        return self._step(
            request,
            queryset,
            title=_("Take the last step back"),
            preview=services.challenge_step_back_preview,
            perform=perform,
            button=_("Yes, take the step back"),
        )


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "updates"]
    list_filter = ["updates"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
