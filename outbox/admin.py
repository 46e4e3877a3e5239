from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .kinds import kind_label
from .models import OutgoingEmail


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = OutgoingEmail.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return sorted(((k, kind_label(k)) for k in kinds if k), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only record of every e-mail the portal sent or tried to send; failed ones can be sent again."""

    list_display = ["created_at", "kind_display", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", KindFilter, LanguageFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["to", "subject", "message_id"]
    actions = ["resend"]
    date_hierarchy = "created_at"
    readonly_fields = [*(f.name for f in OutgoingEmail._meta.fields), "kind_display"]
    fieldsets = [
        (None, {"fields": ["status", "kind_display", "to", "from_email", "reply_to", "subject", "language"]}),
        (
            _("Delivery"),
            {"fields": ["attempts", "next_attempt_at", "claimed_at", "sent_at", "last_error", "message_id"]},
        ),
        (_("Content"), {"fields": ["body_text", "body_html", "attachments", "headers"]}),
        (_("Record"), {"fields": ["id", "created_at", "updated_at"]}),
    ]

    def get_object(self, request, object_id, from_field=None):
        # The changelist and this lookup are the host's region's rows (a scoped manager): an e-mail of
        # another region is a 404, not a redirect that tells the id exists.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, obj):
        return kind_label(obj.kind)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Whoever may read the outbox (coordinators) may put a failed e-mail back in the queue: the row
    # itself is not edited, it goes through the outbox service like any other send.
    @admin.action(description=_("Send again"), permissions=["view"])
    def resend(self, request, queryset):
        count = services.email_resend(emails=queryset)
        if count:
            self.message_user(
                request,
                ngettext("%(n)d failed e-mail was queued again.", "%(n)d failed e-mails were queued again.", count)
                % {"n": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("Only failed e-mails can be sent again; nothing was queued."), messages.WARNING
            )
