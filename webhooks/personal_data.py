"""What ``webhooks`` holds about a person: only a coordinator named as the one to tell about an endpoint
(events and deliveries hold nothing personal). Erased by unlinking: the endpoint stays, its coordinator
empty (the region's coordinators are told instead)."""

from core.personal_data import linked_rows

from .models import Endpoint


def export(user) -> dict:
    return {"webhooks.Endpoint": linked_rows(Endpoint, user, hidden=("secret",))}


def erase(user) -> dict:
    return {"endpoints_unlinked": Endpoint.objects.filter(coordinator=user).update(coordinator=None)}
