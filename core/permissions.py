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
    # The region's own disposal decisions (core/retention.py): coordinators record them.
    perms += list(Permission.objects.filter(content_type__app_label="core", codename__endswith="_disposaldecision"))
    group.permissions.set(perms)
    return group


def coordinator_emails():
    """E-mail addresses of the active coordinators of the region in force, for notifications."""
    from django.contrib.auth import get_user_model

    from core.region_state import current_region

    User = get_user_model()
    users = User.objects.filter(is_active=True, is_staff=True, groups__name=COORDINATOR_GROUP)
    region = current_region()
    if region is not None:
        users = users.filter(coordinated_regions=region)
    return list(users.order_by("email").values_list("email", flat=True).distinct())


# Coordinators of a region ---------------------------------------------------------------------------
# Staff are coordinators of one region or several (``Region.coordinators``). Staff rights count only on
# the host of a region they coordinate: on another region's host a coordinator is an ordinary visitor
# (the admin sends them to its login page, staff-only views answer 403, drafts are 404). Superusers are
# the installation's operators and count everywhere.

SYSTEM_ADMIN_GROUP = "Systemadministratörer"

# Remembered on the user object for one request: the ids of the regions they coordinate.
_COORDINATED_ATTRIBUTE = "_core_coordinated_region_ids"


def coordinated_region_ids(user) -> frozenset[int]:
    """The ids of the regions ``user`` coordinates (read once per user object)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return frozenset()
    cached = getattr(user, _COORDINATED_ATTRIBUTE, None)
    if cached is None:
        from core.models import Region

        cached = frozenset(
            Region.coordinators.through.objects.filter(user_id=user.pk).values_list("region_id", flat=True)
        )
        setattr(user, _COORDINATED_ATTRIBUTE, cached)
    return cached


def is_region_staff(user, region=None) -> bool:
    """Whether ``user`` has staff rights in ``region`` (the region in force when None): an active
    superuser, or active staff who coordinate that region. With no region in force only superusers."""
    from core.region_state import current_region

    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    region = region if region is not None else current_region()
    if region is None:
        return False
    return region.pk in coordinated_region_ids(user)


def is_system_admin(user) -> bool:
    """Active staff who manage regions (a superuser, or the "Systemadministratörer" group's
    ``core.change_region``): they may open the admin on any host, and see only what their permissions
    allow there (regions, not another region's records)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.has_perm("core.change_region")
    )


def may_use_admin(user, region=None) -> bool:
    """The admin site's ``has_permission``: staff of the host's region, or a system administrator."""
    return is_region_staff(user, region) or is_system_admin(user)


def ensure_system_admin_group(**kwargs):
    """The small system role that creates, edits and disables regions (``core.change_region`` and the
    permissions on hosts); never deletes one (``manage.py purge_region`` does, after an export)."""
    group, _ = Group.objects.get_or_create(name=SYSTEM_ADMIN_GROUP)
    codenames = ["add_region", "change_region", "view_region", "add_regionhost", "change_regionhost"]
    codenames += ["view_regionhost", "delete_regionhost"]
    group.permissions.set(Permission.objects.filter(content_type__app_label="core", codename__in=codenames))
    return group
