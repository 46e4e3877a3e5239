"""Coordinators' admin of webhooks (in Swedish): endpoints (the secret shown once, on saving a new one or
rotating it), the attempts per delivery with filters, and the actions: send a test event, enable again,
rotate the secret (with a confirmation page). Events and attempts are read only."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_confirm import Preview, confirm_action

from . import services
from .forms import EndpointForm
from .models import Delivery, Endpoint, Event


def _secret_message(endpoint, secret):
    return format_html(
        "{}: <code>{}</code> {}",
        _("The secret of %(name)s") % {"name": endpoint.name},
        secret,
        _("Copy it now and give it to the partner: it is not shown again."),
    )


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "is_active", "failure_count", "disabled_at", "coordinator"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["failure_count", "disabled_at", "secret_created_at", "created_at", "deliveries_link"]
    actions = ["send_test", "enable", "rotate_secret"]

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "is_active", "coordinator"]
        return fields + (self.readonly_fields if obj is not None else [])

    @admin.display(description=_("Deliveries"))
    def deliveries_link(self, obj):
        return format_html(
            '<a href="../../../delivery/?endpoint__id__exact={}">{}</a>', obj.pk, _("Every attempt of this endpoint")
        )

    def save_model(self, request, obj, form, change):
        obj.events = form.cleaned_data.get("events", [])
        secret = services.endpoint_save(endpoint=obj)
        if secret:
            self.message_user(request, _secret_message(obj, secret), messages.WARNING)

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test(self, request, queryset):
        sent = 0
        for endpoint in queryset:
            try:
                services.endpoint_send_test(endpoint=endpoint)
            except ValidationError:
                self.message_user(
                    request, _("%(name)s is not active: enable it first.") % {"name": endpoint}, messages.ERROR
                )
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "A test event was queued to %(count)d endpoint; see its deliveries.",
                    "A test event was queued to %(count)d endpoints; see their deliveries.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )

    @admin.action(description=_("Enable again"), permissions=["change"])
    def enable(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_enable(endpoint=endpoint)
        self.message_user(request, _("Enabled; the count of failures starts again from nought."), messages.SUCCESS)

    @admin.action(description=_("Rotate the secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        def preview(endpoint):
            return Preview(
                obj=endpoint,
                effects=[_("A new secret is made and shown once; the partner must use it from now on.")],
                irreversible=[_("The old secret stops working at once: deliveries signed with it are not sent again.")],
            )

        def perform(endpoint, *, choices, data):
            secret = services.endpoint_rotate_secret(endpoint=endpoint)
            # Plain text: the confirmation prefixes the endpoint's name to it (an f-string, no longer safe HTML).
            return "{} {} {}".format(
                _("The new secret:"), secret, _("Copy it now and give it to the partner: it is not shown again.")
            )

        return confirm_action(
            self,
            request,
            queryset,
            title=_("Rotate the secret"),
            preview=preview,
            perform=perform,
            button=_("Rotate the secret"),
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event_name",
        "endpoint",
        "attempt",
        "status",
        "http_status",
        "duration_ms",
        "error",
        "due_at",
        "finished_at",
        "retry_at",
    ]
    list_filter = ["status", "endpoint", "event__name", "attempt"]
    search_fields = ["event__uuid", "uuid", "error", "endpoint__name"]
    list_select_related = ["endpoint", "event"]
    date_hierarchy = "due_at"
    fields = [
        "uuid",
        "endpoint",
        "event",
        "event_id_shown",
        "attempt",
        "status",
        "http_status",
        "duration_ms",
        "error",
        "response_snippet",
        "due_at",
        "claimed_at",
        "finished_at",
        "retry_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("event"), ordering="event__name")
    def event_name(self, obj):
        return obj.event.name

    @admin.display(description=_("event id"))
    def event_id_shown(self, obj):
        return str(obj.event.uuid)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["name", "uuid", "object_type", "object_id", "occurred_at"]
    list_filter = ["name", "object_type"]
    search_fields = ["uuid", "name"]
    date_hierarchy = "occurred_at"
    fields = ["uuid", "name", "object_type", "object_id", "api_url", "occurred_at"]
    readonly_fields = fields
