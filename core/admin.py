"""Regions in the admin: only the small system role (superusers, or "Systemadministratörer" with
``core.change_region``) sees them. A region is created, edited and disabled here, never deleted
(``manage.py purge_region`` exports and then removes one)."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_records  # noqa: F401 (the disposal decisions' admin registers itself)
from .models import Region, RegionHost
from .region_logo import clean_logo

_HOST = re.compile(
    r"^(?:\[[0-9a-f:.]+\]|(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)$"
)


def normalise_host_input(value: str) -> str:
    """``https://Halland.Example.SE:8443/portal`` → ``halland.example.se``: no scheme, port or path,
    lower case, no trailing dot."""
    host = (value or "").strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = re.split(r"[/?#]", host, maxsplit=1)[0]
    if "@" in host:
        host = host.rsplit("@", 1)[1]
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    elif ":" in host:
        host = host.rsplit(":", 1)[0]
    return host.rstrip(".")


class RegionHostForm(forms.ModelForm):
    class Meta:
        model = RegionHost
        fields = ["host", "is_primary"]

    def clean_host(self):
        host = normalise_host_input(self.cleaned_data.get("host", ""))
        if not _HOST.match(host):
            raise ValidationError(_("Give a host name such as samverkan.regionhalland.se (no port, no path)."))
        taken = RegionHost.objects.filter(host=host)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        other = taken.select_related("region").first()
        if other is not None and other.region_id != getattr(self.instance, "region_id", None):
            raise ValidationError(
                _("The host %(host)s is already used by %(region)s."),
                params={"host": host, "region": other.region.name},
            )
        return host


class RegionHostFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        hosts = [form.cleaned_data.get("host") for form in kept]
        duplicates = {host for host in hosts if hosts.count(host) > 1}
        if duplicates:
            raise ValidationError(
                _("Each host may be given once: %(hosts)s."), params={"hosts": ", ".join(sorted(duplicates))}
            )
        primaries = sum(1 for form in kept if form.cleaned_data.get("is_primary"))
        if primaries != 1:
            raise ValidationError(_("Mark exactly one host as primary: links in e-mails and feeds are built on it."))


class RegionHostInline(admin.TabularInline):
    model = RegionHost
    form = RegionHostForm
    formset = RegionHostFormSet
    extra = 1
    min_num = 1
    verbose_name = _("host")
    verbose_name_plural = _("hosts")


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = [
            "name",
            "short_name",
            "is_active",
            "contact_email",
            "contact_phone",
            "sender_email",
            "accent_color",
            "accent_dark_color",
            "logo",
            "accessibility_statement_sv",
            "accessibility_statement_en",
            "privacy_text_sv",
            "privacy_text_en",
            "case_number_format",
            "coordinators",
        ]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload (an unchanged one is the stored file)
            return clean_logo(logo)
        return logo

    def clean_short_name(self):
        short_name = self.cleaned_data.get("short_name", "")
        if short_name != short_name.lower():
            raise ValidationError(_("Use lower-case letters, digits and hyphens only."))
        return short_name


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionForm
    inlines = [RegionHostInline]
    list_display = ["name", "short_name", "primary_host_display", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "hosts__host"]
    filter_horizontal = ["coordinators"]
    actions = ["disable_regions", "enable_regions"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "is_active"]}),
        (_("Contact"), {"fields": ["contact_email", "contact_phone", "sender_email"]}),
        (_("Look"), {"fields": ["accent_color", "accent_dark_color", "logo"]}),
        (
            _("Texts"),
            {
                "fields": [
                    "accessibility_statement_sv",
                    "accessibility_statement_en",
                    "privacy_text_sv",
                    "privacy_text_en",
                ]
            },
        ),
        (_("Public records"), {"fields": ["case_number_format"]}),
        (_("Coordinators"), {"fields": ["coordinators"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hosts")

    @admin.display(description=_("primary host"))
    def primary_host_display(self, obj):
        return obj.primary_host

    def get_readonly_fields(self, request, obj=None):
        # The short name names the region's secrets in the environment: fixed once the region exists.
        return ["short_name"] if obj is not None else []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "coordinators":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("email")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _set_active(self, request, queryset, active: bool):
        count = 0
        for region in queryset:
            if region.is_active != active:
                region.is_active = active
                region.save(update_fields=["is_active"])
                count += 1
        return count

    @admin.action(
        description=_("Disable the selected regions (their hosts answer “not found”)"), permissions=["change"]
    )
    def disable_regions(self, request, queryset):
        count = self._set_active(request, queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d region was disabled.", "%(count)d regions were disabled.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Enable the selected regions"), permissions=["change"])
    def enable_regions(self, request, queryset):
        count = self._set_active(request, queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d region was enabled.", "%(count)d regions were enabled.", count) % {"count": count},
            messages.SUCCESS,
        )
