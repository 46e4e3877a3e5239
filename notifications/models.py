"""Follows, notifications, each person's e-mail choice and the weekly digests (issue 25).

A follow names what it follows by its kind (declared with ``portal.followable``) and key, so this
platform app imports no feature app. An event (``core.events``) becomes at most one notification per
person (the unique constraint); a digest is one outbox row covering the window from the end of the
last digest actually sent to that person up to a weekly slot, unique per person and window.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import RegionalModel
from core.regions import regional_manager

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Follow(RegionalModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("person")
    )
    kind = models.CharField(_("type"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("object"))
    label = models.CharField(_("name"), max_length=200, blank=True)
    # A follow on an organisation's behalf (``portal.follow_on_behalf``): its representatives hear what
    # it brings; ``user`` is who made it. By id, as this platform app imports no feature app.
    organisation_id = models.PositiveBigIntegerField(_("for the organisation"), null=True, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = regional_manager()

    class Meta:
        verbose_name = _("followed object")
        verbose_name_plural = _("followed objects")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id"],
                condition=Q(organisation_id__isnull=True),
                name="notifications_follow_once",
            ),
            models.UniqueConstraint(
                fields=["organisation_id", "kind", "object_id"],
                condition=Q(organisation_id__isnull=False),
                name="notifications_follow_once_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="notifications_follow_obj_idx")]

    def __str__(self):
        return self.label or f"{self.kind} {self.object_id}"


class Notification(RegionalModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("person")
    )
    event = models.CharField(_("event"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object"))
    title = models.CharField(_("heading"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # The digest it went out in: each notification is in one digest at most, whatever the clocks.
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("digest"),
    )

    objects = regional_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "object_type", "object_id"], name="notifications_notification_once"
            ),
        ]

    def __str__(self):
        return self.title


class Preference(RegionalModel):
    class Email(models.TextChoices):
        INSTANT = "instant", _("At once")
        DIGEST = "digest", _("Weekly digest")
        NONE = "none", _("No e-mail")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    email = models.CharField(_("e-mail"), max_length=10, choices=Email.choices, default=Email.DIGEST)
    # The digest's day and hour; empty: the region's (``DigestSchedule``).
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest day"), choices=WEEKDAYS, null=True, blank=True, validators=[MaxValueValidator(6)]
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("digest hour"), null=True, blank=True, validators=[MaxValueValidator(23)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("e-mail choice")
        verbose_name_plural = _("e-mail choices")
        constraints = [models.UniqueConstraint(fields=["region", "user"], name="notifications_preference_once")]

    def __str__(self):
        return self.get_email_display()


class DigestSchedule(RegionalModel):
    """The region's default day and hour (local time) of the weekly digest; a person may choose their own."""

    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS, default=0, validators=[MaxValueValidator(6)])
    hour = models.PositiveSmallIntegerField(_("hour"), default=7, validators=[MaxValueValidator(23)])

    objects = regional_manager()

    class Meta:
        verbose_name = _("digest day and hour")
        verbose_name_plural = _("digest days and hours")
        constraints = [models.UniqueConstraint(fields=["region"], name="notifications_digestschedule_once")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.hour:02d}:00"


class Digest(RegionalModel):
    """One weekly digest to one person: the notifications created in [window_start, window_end)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    items = models.PositiveIntegerField(_("items"), default=0)
    email = models.ForeignKey(
        "outbox.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )
    # The e-mail failed for good: the window is free for a new digest from the last one sent.
    abandoned = models.BooleanField(_("abandoned"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = regional_manager()

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-window_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "user", "window_end"], condition=Q(abandoned=False), name="notifications_digest_once"
            ),
        ]

    def __str__(self):
        return f"{self.window_start:%Y-%m-%d} – {self.window_end:%Y-%m-%d}"
