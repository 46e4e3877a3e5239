from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled
from import_export.admin import ImportExportModelAdmin

from core.admin_confirm import confirm_action
from core.admin_translated import BilingualAdminMixin
from core.registry import portal
from core.spreadsheets import ADMIN_FORMATS

from . import services
from .duplicates import similar_organisations
from .models import AreaOfActivity, Contact, InterestSubmission, Municipality, Organisation, Representative
from .resources import OrganisationResource
from .validators import normalise_orgnr


def verify_and_report(model_admin, request, organisations, **extra):
    """Ask first (core/admin_confirm.py: what will happen, how many e-mails), then verify each organisation
    through the service on the confirming post. One already verified is listed with its reason and left."""

    def perform(organisation, *, choices, data):
        problems = services.organisation_verify_preview(organisation=organisation).problems
        if problems:
            raise ValidationError(problems)
        services.organisation_verify(organisation=organisation, by=request.user)
        if not organisation.public_listing:
            return _("verified; not shown in the public directory: it has not agreed to be listed.")
        return _("verified; its contact persons are told.")

    return confirm_action(
        model_admin,
        request,
        organisations,
        title=_("Verify the organisations"),
        preview=lambda organisation: services.organisation_verify_preview(organisation=organisation),
        perform=perform,
        button=_("Yes, verify"),
        **extra,
    )


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "code", "organisation_count"]
    list_filter = ["county"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_organisation_count=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="_organisation_count")
    def organisation_count(self, obj):
        return obj._organisation_count


@admin.register(AreaOfActivity)
class AreaOfActivityAdmin(BilingualAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "organisation_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_organisation_count=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="_organisation_count")
    def organisation_count(self, obj):
        return obj._organisation_count


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "email", "phone", "role", "confirmed"]


# The admin's forms name regional models (Meta.fields): built without a scope at import, their fields are
# built again by the admin for each request, in the request's region (``ModelAdmin.get_form``).
with scopes_disabled():

    class RepresentativeForm(forms.ModelForm):
        """A representative is added by typing the e-mail address of their user account: no script needed."""

        user_email = forms.EmailField(
            label=_("e-mail of the user account"),
            max_length=254,
            help_text=_("The person must first create an account in the portal with this address."),
        )

        class Meta:
            model = Representative
            fields = ["organisation"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk and self.instance.user_id:
                self.initial.setdefault("user_email", self.instance.user.email)
            if "organisation" in self.fields:
                self.fields["organisation"].queryset = Organisation.objects.order_by("name")

        def clean_user_email(self):
            email = self.cleaned_data["user_email"].strip()
            user = get_user_model().objects.filter(email__iexact=email).first()
            if user is None:
                raise ValidationError(
                    _("No user account has the address %(email)s. Ask the person to create an account first."),
                    params={"email": email},
                )
            self._user = user
            return email

        def clean(self):
            cleaned = super().clean()
            organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
            user = getattr(self, "_user", None)
            if organisation is not None and user is not None:
                taken = Representative.objects.filter(organisation=organisation, user=user).exclude(pk=self.instance.pk)
                if taken.exists():
                    self.add_error("user_email", _("This user account already represents the organisation."))
            return cleaned

        def save(self, commit=True):
            self.instance.user = self._user
            return super().save(commit=commit)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    form = RepresentativeForm
    fields = ["user_email"]
    extra = 1
    verbose_name = _("user account that represents the organisation")
    verbose_name_plural = _("user accounts that represent the organisation")


class InterestSubmissionInline(admin.TabularInline):
    model = InterestSubmission
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = [
        "created_at",
        "contact",
        "wants_dialogue_meetings",
        "wants_present_example",
        "wants_further_work",
        "wants_raise_challenge",
        "handled",
    ]
    readonly_fields = fields


with scopes_disabled():

    class OrganisationAdminForm(forms.ModelForm):
        class Meta:
            model = Organisation
            fields = [
                "name",
                "slug",
                "organisation_number",
                "legal_form",
                "municipality",
                "areas",
                "website",
                "description",
                "public_listing",
                "status",
            ]

        not_a_duplicate = forms.BooleanField(
            label=_("It is not one of these: create it anyway"),
            required=False,
            help_text=_("Shown when an organisation with a similar name or number already exists."),
        )

        def clean(self):
            cleaned = super().clean()
            if self.instance.pk or cleaned.get("not_a_duplicate") or not cleaned.get("name"):
                return cleaned
            similar = similar_organisations(
                name=cleaned["name"], organisation_number=cleaned.get("organisation_number") or ""
            )
            if similar:
                self.similar = similar
                links = format_html_join(
                    ", ",
                    '<a href="{}">{}</a>{}',
                    (
                        (
                            reverse("admin:organisations_organisation_change", args=[o.pk]),
                            o.name,
                            f" ({o.organisation_number})" if o.organisation_number else "",
                        )
                        for o in similar
                    ),
                )
                raise ValidationError(
                    format_html(
                        "{} {} {}",
                        _("An organisation with a similar name or number already exists:"),
                        links,
                        _("— open it instead, or tick “It is not one of these” below and save again."),
                    ),
                    code="possible_duplicate",
                )
            return cleaned

        def clean_organisation_number(self):
            # Normalised before the uniqueness check, so another spelling of a known number is caught here.
            value = (self.cleaned_data.get("organisation_number") or "").strip()
            return normalise_orgnr(value) if value else ""


@admin.register(Organisation)
class OrganisationAdmin(ImportExportModelAdmin):
    form = OrganisationAdminForm
    resource_classes = [OrganisationResource]
    formats = ADMIN_FORMATS
    list_display = [
        "name",
        "organisation_number",
        "status",
        "municipality",
        "legal_form",
        "public_listing",
        "created_at",
    ]
    list_filter = ["status", "public_listing", "municipality", "areas", "legal_form", "municipality__county"]
    list_select_related = ["municipality"]
    search_fields = ["name", "organisation_number"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified_by", "verified_at", "created_at", "updated_at"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    date_hierarchy = "created_at"
    inlines = [ContactInline, RepresentativeInline, InterestSubmissionInline]
    actions = ["verify", "mark_inactive", "merge_duplicates"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "organisation_number", "legal_form", "municipality", "areas"]}),
        (_("Public profile"), {"fields": ["website", "description", "public_listing"]}),
        (_("Status"), {"fields": ["status", "verified_by", "verified_at", "created_at", "updated_at"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # Only when adding: confirm that a similar existing organisation is not the same one.
            fieldsets = [*fieldsets, (_("Possible duplicates"), {"fields": ["not_a_duplicate"]})]
        return fieldsets

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # An organisation number is found in any spelling (5560160680, 16556016-0680, …).
        try:
            number = normalise_orgnr(search_term)
        except ValidationError:
            return queryset, may_have_duplicates
        return queryset | self.model.objects.filter(organisation_number=number), may_have_duplicates

    @admin.action(description=_("Verify selected organisations"), permissions=["change"])
    def verify(self, request, queryset):
        return verify_and_report(self, request, queryset)

    @admin.action(description=_("Mark selected organisations inactive"), permissions=["change"])
    def mark_inactive(self, request, queryset):
        count = 0
        for organisation in queryset:
            services.organisation_mark_inactive(organisation=organisation)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d organisation was marked inactive.", "%(count)d organisations were marked inactive.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Merge selected duplicates…"), permissions=["change", "delete"])
    def merge_duplicates(self, request, queryset):
        organisations = list(
            queryset.select_related("municipality")
            .annotate(
                contact_count=Count("contacts", distinct=True),
                submission_count=Count("interest_submissions", distinct=True),
                representative_count=Count("representative_links", distinct=True),
            )
            .order_by("created_at", "pk")
        )
        if len(organisations) < 2:
            self.message_user(request, _("Choose at least two organisations to merge."), messages.WARNING)
            return None
        if request.POST.get("confirm") == "yes":
            keep = next((o for o in organisations if str(o.pk) == request.POST.get("keep")), None)
            if keep is None:
                self.message_user(request, _("Choose the organisation to keep."), messages.ERROR)
            else:
                duplicates = [o for o in organisations if o.pk != keep.pk]
                services.organisation_merge(keep=keep, duplicates=duplicates)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d duplicate was merged into %(name)s.",
                        "%(count)d duplicates were merged into %(name)s.",
                        len(duplicates),
                    )
                    % {"count": len(duplicates), "name": keep.name},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge duplicate organisations"),
            "opts": self.model._meta,
            "organisations": organisations,
            "suggested": next((o for o in organisations if o.status == Organisation.Status.VERIFIED), organisations[0]),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "merge_duplicates",
        }
        return TemplateResponse(request, "admin/organisations/organisation/merge_confirmation.html", context)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "role", "organisation", "confirmed", "created_at"]
    # "Confirmed: no" lists the people who named a known organisation on the public form.
    list_filter = ["confirmed", "role", "organisation__status"]
    list_select_related = ["organisation"]
    search_fields = ["name", "email", "organisation__name", "organisation__organisation_number"]
    actions = ["confirm_contacts"]

    @admin.action(description=_("Confirm contact"), permissions=["change"])
    def confirm_contacts(self, request, queryset):
        count = services.contacts_confirm(contacts=queryset)
        self.message_user(
            request,
            ngettext("%(count)d contact person was confirmed.", "%(count)d contact persons were confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    form = RepresentativeForm
    fields = ["organisation", "user_email"]
    list_display = ["user", "organisation", "created_at"]
    list_filter = ["organisation__status"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name", "organisation__organisation_number"]


@admin.register(InterestSubmission)
class InterestSubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "contact_name",
        "wants_dialogue_meetings",
        "wants_present_example",
        "wants_further_work",
        "wants_raise_challenge",
        "organisation_status",
        "handled",
        "created_at",
    ]
    list_filter = [
        "handled",
        "wants_dialogue_meetings",
        "wants_present_example",
        "wants_further_work",
        "wants_raise_challenge",
        "wants_public_listing",
        "organisation__status",
        "language",
        "created_at",
    ]
    list_select_related = ["organisation", "contact"]
    search_fields = [
        "organisation__name",
        "organisation__organisation_number",
        "submitted_organisation_name",
        "contact__name",
        "contact__email",
        "message",
    ]
    date_hierarchy = "created_at"
    raw_id_fields = ["organisation", "contact"]
    readonly_fields = ["submitted_organisation_name", "consent", "consent_policy_version", "language", "created_at"]
    actions = portal.admin_actions("organisations.interestsubmission", ["mark_handled", "verify_organisations"])

    @admin.display(description=_("contact person"), ordering="contact__name")
    def contact_name(self, obj):
        return obj.contact.name if obj.contact else "–"

    @admin.display(description=_("organisation status"), ordering="organisation__status")
    def organisation_status(self, obj):
        return obj.organisation.get_status_display()

    @admin.action(description=_("Mark selected submissions handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = services.interest_submissions_mark_handled(submissions=queryset)
        self.message_user(
            request,
            ngettext("%(count)d submission was marked handled.", "%(count)d submissions were marked handled.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Verify the organisations of the selected submissions"), permissions=["change"])
    def verify_organisations(self, request, queryset):
        organisations = Organisation.objects.filter(pk__in=queryset.values("organisation_id"))
        # The confirmation carries the organisations, so it is posted to their list's "verify" action.
        return verify_and_report(
            self,
            request,
            organisations,
            action="verify",
            form_url=reverse("admin:organisations_organisation_changelist"),
        )


from . import mandate_admin  # noqa: E402, F401 - the mandates queue (split from this module)
