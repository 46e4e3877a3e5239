"""Demo data of the portal itself: the coordinators' group and the demo coordinator."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .models import Region
from .permissions import ensure_coordinator_group
from .region_state import current_region

DEMO_COORDINATOR_EMAIL = "samordnare@example.se"
DEMO_COORDINATOR_PASSWORD = "samverkan-demo"  # noqa: S105 - documented demo account, never in production data


def load(stdout=None):
    group = ensure_coordinator_group()
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=DEMO_COORDINATOR_EMAIL,
        defaults={"full_name": "Sara Samordnare", "is_staff": True},
    )
    if created:
        user.set_password(DEMO_COORDINATOR_PASSWORD)
        user.save()
    user.groups.add(group)
    # Staff rights count in the regions one coordinates: the demo coordinator coordinates the region
    # the demo is loaded into (the first region when the loader runs over every region).
    region = current_region() or Region.objects.order_by("pk").first()
    if region is not None:
        region.coordinators.add(user)
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if stdout:
        stdout.write(f"  coordinator {DEMO_COORDINATOR_EMAIL} ({'created' if created else 'kept'})")
    return user
