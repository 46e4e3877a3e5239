"""The coordinators' group. Coordinators act in the admin only through its permissions."""

from django.contrib.auth.models import Group, Permission

COORDINATOR_GROUP = "Samordnare"

# Apps whose every model coordinators manage in full.
MANAGED_APPS = ("organisations", "meetings", "agreements", "django_celery_beat")
# Apps coordinators may only read (the outbox is a record, never edited by hand).
READ_ONLY_APPS = ("outbox",)


def ensure_coordinator_group(**kwargs):
    """Create or update the coordinators' group with the permissions of the managed apps."""
    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    perms = list(Permission.objects.filter(content_type__app_label__in=MANAGED_APPS))
    perms += list(Permission.objects.filter(content_type__app_label__in=READ_ONLY_APPS, codename__startswith="view_"))
    perms += list(Permission.objects.filter(content_type__app_label="accounts", codename__in=["view_user"]))
    group.permissions.set(perms)
    return group


def coordinator_emails():
    """E-mail addresses of active coordinators, for notifications."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=COORDINATOR_GROUP)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
