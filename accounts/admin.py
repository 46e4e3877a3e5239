from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.permissions import is_system_admin
from core.region_state import current_region

from .models import User
from .services import user_mfa_reset


def people_of_region(region) -> Q:
    """The users who have something in ``region``: its coordinators and the representatives of its
    organisations. Users are global; a coordinator sees only these (a superuser sees everyone).

    The representatives are read through the representation model (organisations.Representative,
    reached by its link to the user: accounts imports no feature app) with its own scoped manager,
    and filtered by region explicitly as well."""
    people = Q(coordinated_regions=region)
    links = User._meta.get_field("representative_links").related_model
    representatives = links._default_manager.all()
    if any(field.name == "region" for field in links._meta.concrete_fields):
        representatives = representatives.filter(region=region)
    return people | Q(pk__in=representatives.values("user_id"))


def region_users(request, model, field):
    """The accounts a coordinator may choose for ``model``'s ``field`` (a link to an account) in the admin: the
    people of the host's region, and whoever a row of ``model`` in the region already links to (so that an
    unchanged row saves). A superuser may choose anyone, and so may a system administrator on a model of no region
    (a region's coordinators are theirs to choose). Without this the choice was every account of the installation,
    and a posted id showed that person's name or address back, whatever their region."""
    users = User.objects.all()
    if request is None or request.user.is_superuser:
        return users
    regional = any(f.name == "region" for f in model._meta.concrete_fields)
    if not regional and is_system_admin(request.user):
        return users
    region = current_region()
    if region is None:
        return users.none()
    chosen = people_of_region(region)
    if regional:  # its own rows only
        chosen |= Q(pk__in=model._default_manager.filter(**{f"{field.name}__isnull": False}).values(field.name))
    return users.filter(chosen).distinct()


def _region_user_choices(formfield_for):
    def formfield_for_relation(self, db_field, request, **kwargs):
        if db_field.related_model is User and "queryset" not in kwargs:
            kwargs["queryset"] = region_users(request, db_field.model, db_field)
        return formfield_for(self, db_field, request, **kwargs)

    formfield_for_relation.region_users = True
    return formfield_for_relation


def install_region_user_choices() -> None:
    """Called once from ``AccountsConfig.ready``: every ModelAdmin's and inline's links to an account offer
    the region's people only (``region_users``); idempotent."""
    from django.contrib.admin.options import BaseModelAdmin

    for name in ("formfield_for_foreignkey", "formfield_for_manytomany"):
        current = getattr(BaseModelAdmin, name)
        if not getattr(current, "region_users", False):
            setattr(BaseModelAdmin, name, _region_user_choices(current))


class EmailVerifiedFilter(admin.SimpleListFilter):
    title = _("e-mail verified")
    parameter_name = "email_verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_verified_email=self.value() == "yes")
        return queryset


class TwoFactorFilter(admin.SimpleListFilter):
    title = _("two-factor authentication")
    parameter_name = "two_factor"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(has_totp=self.value() == "yes")
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "email_verified", "two_factor", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", EmailVerifiedFilter, TwoFactorFilter, "groups"]
    search_fields = ["email", "full_name"]
    actions = ["reset_two_factor"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if not request.user.is_superuser:
            # A coordinator sees the people of the host's region only (no region: nobody).
            region = current_region()
            users = users.filter(people_of_region(region)).distinct() if region is not None else users.none()
        # One query for the list: both columns are EXISTS subqueries, not a query per row.
        return users.annotate(
            has_verified_email=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            has_totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)),
        )

    @admin.display(boolean=True, description=_("e-mail verified"), ordering="has_verified_email")
    def email_verified(self, obj):
        return obj.has_verified_email

    @admin.display(boolean=True, description=_("two-factor"), ordering="has_totp")
    def two_factor(self, obj):
        return obj.has_totp

    @admin.action(description=_("Reset two-factor authentication (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        count = sum(1 for user in queryset if user_mfa_reset(user=user, by=request.user))
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication was reset for %(count)d user. They set it up again at the next log-in.",
                "Two-factor authentication was reset for %(count)d users. They set it up again at the next log-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# e-ID (accounts/eid.py): the apps come from the environment, a link holds only a keyed hash and a few claims,
# and no token is stored; nothing of it is edited by hand, so allauth's admin pages for them are removed.
def _unregister_socialaccount_admin():
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    for model in (SocialApp, SocialAccount, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_socialaccount_admin()
