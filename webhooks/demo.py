"""Demo: one partner's endpoint in Region Västernorrland, disabled (the demo sends nothing out): its
address is the documentation example, its events the new meetings and challenges. A coordinator can
look at it in the admin, rotate its secret, and point it at a receiver of their own to try it."""

from django.utils import timezone

from core.demo import coordinator, run_story

from .models import Endpoint
from .services import new_secret

NAME = "Exempel: Föreningsarkivets kalender (avstängd i demon)"


def _vasternorrland(stdout=None):
    endpoint, created = Endpoint.objects.get_or_create(
        name=NAME,
        defaults={
            "url": "https://partner.example.org/samverkan/webhooks",
            "events": ["meetings.published", "challenges.accepted", "challenges.update"],
            "secret": new_secret(),
            "is_active": False,
            "disabled_at": timezone.now(),
            "coordinator": coordinator(),
        },
    )
    if stdout is not None and created:
        stdout.write(f"  webhooks: {endpoint.name}")
    return endpoint


STORIES = {"vasternorrland": _vasternorrland}


def load(stdout=None):
    """The demo endpoint of the region in force (``core.demo.run_story``)."""
    return run_story(STORIES, stdout)
