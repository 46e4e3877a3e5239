"""The coordinators' group. Coordinators act in the admin only through its permissions."""

from django.contrib.auth.models import Group, Permission

from .registry import portal

COORDINATOR_GROUP = "Samordnare"


def ensure_coordinator_group(**kwargs):
    """Create or update the coordinators' group with the permissions the apps ask for.

    Each app says in its ``portal.py`` whether coordinators manage its models ("manage": every
    permission) or only read them ("read"). Apps that register nothing (the periodic-task
    schedule, for one) stay with superusers.
    """
    group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    perms = list(Permission.objects.filter(content_type__app_label__in=portal.coordinator_apps("manage")))
    perms += list(
        Permission.objects.filter(
            content_type__app_label__in=portal.coordinator_apps("read"), codename__startswith="view_"
        )
    )
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
