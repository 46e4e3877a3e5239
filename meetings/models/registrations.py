"""Who comes to a meeting: registrations, their questions and answers, evaluations, reminders."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import RegionalModel
from core.regions import regional_manager

from . import choices
from .meetings import Meeting

CHECKIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CHECKIN_CODE_LENGTH = 8


def new_join_token() -> str:
    """The secret of a registration's personal join link (``/moten/<slug>/delta/<token>/``): 192 random bits."""
    return secrets.token_urlsafe(24)


def new_checkin_code() -> str:
    """The short code shown at the door (and in the QR code) for a physical or hybrid meeting."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


class Registration(RegionalModel):
    Attendance = choices.Attendance
    Status = choices.RegistrationStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting_registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (free text)"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    present_example = models.BooleanField(_("wishes to present a good example"), default=False)
    organisation_public = models.BooleanField(
        _("organisation may be named as taking part"),
        default=False,
        help_text=_(
            "Consent given when registering: the organisation is listed on the meeting's page after the meeting."
        ),
    )
    example_description = models.TextField(_("the good example"), blank=True)
    needs = models.TextField(_("access or dietary needs"), blank=True)
    attendance = models.CharField(
        _("takes part"),
        max_length=16,
        choices=Attendance.choices,
        blank=True,
        help_text=_("For hybrid meetings: on site or online. Empty for meetings of one format."),
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    privacy_policy_version = models.CharField(_("privacy policy version"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    join_token = models.CharField(
        _("personal join link"), max_length=64, unique=True, default=new_join_token, editable=False
    )
    checkin_code = models.CharField(
        _("check-in code"), max_length=16, unique=True, default=new_checkin_code, editable=False
    )
    joined_at = models.DateTimeField(_("joined online"), null=True, blank=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True, editable=False)
    evaluation_sent_at = models.DateTimeField(_("evaluation sent"), null=True, blank=True, editable=False)
    # Whether the person has answered the evaluation; no time, so the answer cannot be told from it.
    evaluated = models.BooleanField(_("evaluation answered"), default=False, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The random token of the form that created this registration: a POST sent again with it (a retry
    # after a dropped connection, by the visitor or by a proxy) is answered from this row. Empty for
    # registrations made without the form (admin, demo data) or whose token was already taken.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = regional_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "meeting",
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_email",
            ),
            # Per region: a form token sent to another region's host is a new sign-up there, never an
            # answer from (or an error about) the other region's row.
            models.UniqueConstraint(
                fields=["region", "idempotency_key"], name="meetings_registration_idempotency_key_per_region"
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} – {self.meeting.title}"

    @property
    def organisation_display(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def checkin_code_display(self) -> str:
        """The code in two groups of four (``ACDE-FGHJ``), as printed in the e-mail."""
        code = self.checkin_code or ""
        return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code

    def get_join_url(self) -> str:
        """The personal join link (a path): the meeting link in the window, the waiting page before, the documentation after."""
        return reverse("meetings:join", kwargs={"slug": self.meeting.slug, "token": self.join_token})


class RegistrationQuestion(RegionalModel):
    """A question of a meeting's sign-up form, in Swedish and English (issue 24)."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        ONE_CHOICE = "one_choice", _("One choice")
        SEVERAL_CHOICES = "several_choices", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")

    CHOICE_KINDS = (Kind.ONE_CHOICE, Kind.SEVERAL_CHOICES)
    SHORT_MAX, LONG_MAX = 200, 2000

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    required = models.BooleanField(pgettext_lazy("sign-up question", "required"), default=False)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For one or several choices: one choice per line, in Swedish.")
    )
    choices_en = models.TextField(
        _("choices in English"), blank=True, help_text=_("The same choices in the same order, one per line.")
    )

    objects = regional_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question at sign-up")
        verbose_name_plural = _("questions at sign-up")

    def __str__(self):
        return self.text

    def clean(self):
        errors = {}
        labels, labels_en = self.choice_list(), self.choice_list(english=True)
        if self.kind in self.CHOICE_KINDS and len(labels) < 2:
            errors["choices"] = _("Give at least two choices, one per line.")
        if labels_en and len(labels_en) != len(labels):
            errors["choices_en"] = _("Give as many English choices as Swedish ones, in the same order.")
        if len(set(labels)) != len(labels):
            errors["choices"] = _("Each choice must be different.")
        if errors:
            raise ValidationError(errors)

    def choice_list(self, *, english: bool = False) -> list[str]:
        source = self.choices_en if english else self.choices
        return [line.strip() for line in source.splitlines() if line.strip()]

    @property
    def display_text(self) -> str:
        from django.utils.translation import get_language

        return self.text_en if (get_language() or "sv").startswith("en") and self.text_en else self.text

    def display_choices(self) -> list[tuple[str, str]]:
        """(value, label) in the reader's language; the value is the Swedish label (what the answer keeps)."""
        from django.utils.translation import get_language

        labels = self.choice_list()
        english = self.choice_list(english=True)
        if (get_language() or "sv").startswith("en") and len(english) == len(labels):
            return list(zip(labels, english, strict=True))
        return [(label, label) for label in labels]


class RegistrationAnswer(RegionalModel):
    """An answer to a question at sign-up. The question's text (and the chosen labels) are kept with the
    answer as they were, so a question changed or removed after sign-ups keeps the answers given."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    question_text = models.CharField(_("question"), max_length=300)
    value = models.TextField(pgettext_lazy("sign-up question", "answer"), blank=True)

    objects = regional_manager()

    class Meta:
        ordering = ["question__order", "pk"]
        verbose_name = pgettext_lazy("sign-up question", "answer")
        verbose_name_plural = pgettext_lazy("sign-up question", "answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="meetings_answer_once_per_question")
        ]

    def __str__(self):
        return f"{self.question_text}: {self.value}"


class MeetingEvaluation(RegionalModel):
    """One attendee's evaluation of a meeting: a rating and a free text, with nothing that names them
    (no registration, no time); ``Registration.evaluated`` keeps it to one per person."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="evaluations")
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    objects = regional_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="meetings_evaluation_rating_1_5")
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.rating}"


class Reminder(RegionalModel):
    """One reminder e-mail per (registration, kind): the constraint keeps a beat run twice from mailing twice."""

    Kind = choices.ReminderKind

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("planned"), auto_now_add=True)
    email = models.ForeignKey("outbox.OutgoingEmail", on_delete=models.SET_NULL, null=True, blank=True)

    objects = regional_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="reminder_once_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.registration_id}"
