from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only record of every e-mail the portal sent or tried to send; failed ones can be sent again."""

    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "language", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["to", "subject", "message_id"]
    actions = ["resend"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    fieldsets = [
        (None, {"fields": ["status", "kind", "to", "from_email", "reply_to", "subject", "language"]}),
        (
            _("Delivery"),
            {"fields": ["attempts", "next_attempt_at", "claimed_at", "sent_at", "last_error", "message_id"]},
        ),
        (_("Content"), {"fields": ["body_text", "body_html", "attachments", "headers"]}),
        (_("Record"), {"fields": ["id", "created_at", "updated_at"]}),
    ]

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
