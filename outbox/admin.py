import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .kinds import kind_label
from .models import OutgoingEmail

CONTENT = {"body_text", "body_html", "attachments", "headers"}


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


URL = re.compile(r"https?://[^\s<>\"']+")


def _without_keys(url: str) -> str:
    """``url`` cut after its first path segment: a link in an e-mail may carry a working key (a password
    reset, the link that manages a sign-up, a personal join link, a candidate's answer, an unsubscribe), and
    whoever reads the outbox must not be able to follow it as the person it was sent to."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    shown = f"/{segments[0]}/" if segments else "/"
    cut = len(segments) > 1 or parts.query or parts.fragment
    return f"{parts.scheme}://{parts.netloc}{shown}{'…' if cut else ''}"


def without_keys(text: str) -> str:
    """``text`` with every link cut after its first path segment (``_without_keys``)."""
    return URL.sub(lambda match: _without_keys(match.group(0)), text or "")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only record of every e-mail the portal sent or tried to send; failed ones can be sent again."""

    list_display = ["created_at", "kind_display", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", KindFilter, LanguageFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["to", "subject", "message_id"]
    actions = ["resend"]
    date_hierarchy = "created_at"
    # The content is shown with its links cut (``without_keys``), the attachments by name and the headers with
    # their links cut: never the stored body, the HTML or an attachment's bytes, which carry working keys.
    readonly_fields = [
        *(f.name for f in OutgoingEmail._meta.fields if f.name not in CONTENT),
        "kind_display",
        "text_without_keys",
        "attachment_names",
        "headers_without_keys",
    ]
    fieldsets = [
        (None, {"fields": ["status", "kind_display", "to", "from_email", "reply_to", "subject", "language"]}),
        (
            _("Delivery"),
            {"fields": ["attempts", "next_attempt_at", "claimed_at", "sent_at", "last_error", "message_id"]},
        ),
        (
            _("Content"),
            {
                "fields": ["text_without_keys", "attachment_names", "headers_without_keys"],
                "description": _(
                    "Links are shown cut after their first part: a link in an e-mail may be the recipient's own "
                    "key (a password reset, the link that manages a sign-up, a personal join link)."
                ),
            },
        ),
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

    @admin.display(description=_("text"))
    def text_without_keys(self, obj):
        return format_html('<div class="outbox-text">{}</div>', without_keys(obj.body_text))

    @admin.display(description=_("attachments"))
    def attachment_names(self, obj):
        rows = [(a.get("filename", ""), a.get("mimetype", "")) for a in obj.attachments or []]
        return format_html_join(", ", "{} ({})", rows) if rows else "–"

    @admin.display(description=_("headers"))
    def headers_without_keys(self, obj):
        rows = sorted((name, without_keys(str(value))) for name, value in (obj.headers or {}).items())
        return format_html_join(format_html("<br>"), "{}: {}", rows) if rows else "–"

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
