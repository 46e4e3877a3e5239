"""Coordinators' admin: the moderation queue (proposed first), status actions through the services,
participations, updates and documents inline, linked meetings, talks and actions, filters, search,
history and export."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

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


class UpdateInline(admin.StackedInline):
    model = Update
    extra = 1  # one empty form, so an update can be posted without JavaScript
    fields = ["date", "kind", "title", "text", "author", "notified_at"]
    readonly_fields = ["author", "notified_at"]


class DocumentInline(admin.TabularInline):
    model = ChallengeDocument
    extra = 0
    fields = ["title", "file", "order"]
    formfield_overrides = ADMIN_FILE_OVERRIDES  # a private file has no storage URL: link to its view


def _run(modeladmin, request, queryset, service, done_message):
    done = 0
    for challenge in queryset:
        try:
            service(challenge=challenge, by=request.user)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{challenge}: {' '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied:
            modeladmin.message_user(request, _("Only coordinators can do this."), messages.ERROR)
            return
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)


@admin.register(Challenge)
class ChallengeAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ChallengeResource]
    formats = ADMIN_FORMATS
    list_display = [
        "title",
        "status",
        "raised_by",
        "raising_organisation",
        "published",
        "in_focus",
        "participant_count",
        "proposed_at",
    ]
    list_filter = ["status", "raised_by", "published", "in_focus", "areas", "municipalities"]
    search_fields = ["title", "summary", "description", "raising_organisation__name"]
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
        (None, {"fields": ["title", "slug", "summary", "description", "raised_by", "raising_organisation"]}),
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
    actions = ["accept", "start", "decline", "conclude"]

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

    @admin.action(description=_("Accept the selected challenges (they become public)"), permissions=["change"])
    def accept(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.challenge_accept,
            lambda n: ngettext("%(count)d challenge was accepted.", "%(count)d challenges were accepted.", n),
        )

    @admin.action(description=_("Move the selected challenges to in progress"), permissions=["change"])
    def start(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.challenge_start,
            lambda n: ngettext(
                "%(count)d challenge is now in progress.", "%(count)d challenges are now in progress.", n
            ),
        )

    def _with_text(self, request, queryset, *, action, title, label, help_text, service, argument, done):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        form.fields["text"].label = label
        form.fields["text"].help_text = help_text
        if "apply" in request.POST and form.is_valid():
            count = 0
            for challenge in queryset:
                try:
                    service(challenge=challenge, by=request.user, **{argument: form.cleaned_data["text"]})
                except ValidationError as exc:
                    self.message_user(request, f"{challenge}: {' '.join(exc.messages)}", messages.ERROR)
                except PermissionDenied:
                    self.message_user(request, _("Only coordinators can do this."), messages.ERROR)
                    return None
                else:
                    count += 1
            if count:
                self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/challenges/challenge_text_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "challenges": queryset,
                "form": form,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            },
        )

    @admin.action(
        description=_("Decline the selected challenges (with a reason to the raiser)"), permissions=["change"]
    )
    def decline(self, request, queryset):
        return self._with_text(
            request,
            queryset,
            action="decline",
            title=_("Decline challenges"),
            label=_("Reason"),
            help_text=_("Sent to the raiser and shown to them on the challenge's page."),
            service=services.challenge_decline,
            argument="reason",
            done=lambda n: ngettext("%(count)d challenge was declined.", "%(count)d challenges were declined.", n),
        )

    @admin.action(description=_("Conclude the selected challenges (with their outcome)"), permissions=["change"])
    def conclude(self, request, queryset):
        return self._with_text(
            request,
            queryset,
            action="conclude",
            title=_("Conclude challenges"),
            label=_("Outcome"),
            help_text=_("What came of the challenge. Shown publicly."),
            service=services.challenge_conclude,
            argument="outcome",
            done=lambda n: ngettext("%(count)d challenge was concluded.", "%(count)d challenges were concluded.", n),
        )


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "updates"]
    list_filter = ["updates"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
