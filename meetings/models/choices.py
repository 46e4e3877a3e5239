"""The choices of the registrations and reminders, apart so that the meeting's queries can name them
without importing the registration models (``Registration.Status`` and the like are these classes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Attendance(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


class ReminderKind(models.TextChoices):
    FIRST = "first", _("First reminder")
    LAST = "last", _("Last reminder (digital)")
