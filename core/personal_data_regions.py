"""What ``core`` holds about a person: the regions they coordinate (``Region.coordinators``).

Erasure: the person stops coordinating (staff accounts are removed by an administrator, never by
themselves, so this matters for a former coordinator whose staff status was already taken away)."""

from .models import Region


def export(user) -> dict:
    return {
        "core.Region": [
            {"region": region.name, "short_name": region.short_name, "role": "coordinator"}
            for region in Region.objects.filter(coordinators=user).order_by("name")
        ]
    }


def erase(user) -> dict:
    removed, _ = Region.coordinators.through.objects.filter(user_id=user.pk).delete()
    return {"core.Region": removed}
