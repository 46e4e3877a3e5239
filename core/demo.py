"""Demo data of the portal itself: the coordinators' group and the demo coordinator."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .permissions import ensure_coordinator_group

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
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if stdout:
        stdout.write(f"  coordinator {DEMO_COORDINATOR_EMAIL} ({'created' if created else 'kept'})")
    return user
