"""Choices the admin forms offer from other apps' models."""

from challenges.models import Challenge


def challenge_choices():
    """Every challenge of the region by title (the challenges' own ordering names an annotation their
    admin adds, so it is not used here)."""
    return Challenge.objects.order_by("title")
