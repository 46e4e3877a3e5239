"""Selection rounds: the signatory organisations of an agreement choose civil society's seats.

One voice per organisation. Who voted (``BallotCast``) and what was voted live apart. Until the
count a ballot is a ``SealedBallot``: written in the cast's transaction (so PostgreSQL's system
columns pair it with the cast), but encrypted to the round's key, which only the environment holds
(``ballots.py``). The count opens the boxes and writes their contents shuffled, with fresh random
keys, in one transaction as ``Ballot`` and ``BallotChoice`` rows, and deletes the boxes: nothing the
database keeps — ids, transaction ids, physical order, timestamps — pairs a stored ballot with a
cast, so nobody, coordinators and database readers included, can tell how an organisation voted.
The counts are the only thing read from ballots.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.case_numbers import CaseNumbered, unique_case_number
from core.models import RegionalModel
from core.regions import regional_manager
from organisations.models import MandatedAct


class SelectionRoundQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=SelectionRound.Status.DRAFT)


class SelectionRound(CaseNumbered, RegionalModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        NOMINATING = "nominating", _("nominations open")
        VOTING = "voting", _("voting open")
        COUNTED = "counted", _("counted")
        PUBLISHED = "published", _("result published")

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="selection_rounds", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=5000)
    working_group = models.CharField(
        _("working group"),
        max_length=200,
        default=_("the working group of the agreement"),
        help_text=_("The group whose civil-society seats are filled, e.g. the group writing the action plan."),
    )
    seats = models.PositiveSmallIntegerField(_("seats"), default=5)
    nominations_per_organisation = models.PositiveSmallIntegerField(
        _("nominations per organisation"), default=2, help_text=_("How many candidates one organisation may nominate.")
    )
    nomination_opens = models.DateTimeField(_("nominations open"))
    nomination_closes = models.DateTimeField(_("nominations close"))
    voting_opens = models.DateTimeField(_("voting opens"))
    voting_closes = models.DateTimeField(_("voting closes"))
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    draw_record = models.TextField(
        _("draw by lot"), blank=True, help_text=_("Written by the count when a tie at the last seat was drawn by lot.")
    )
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    ballot_public_key = models.CharField(
        _("ballot key"),
        max_length=44,
        blank=True,
        editable=False,
        help_text=_("Public key the round's ballots are sealed with (set at the first vote); never the private key."),
    )

    objects = regional_manager(SelectionRoundQuerySet)
    history = HistoricalRecords(excluded_fields=["updated_at", "ballot_public_key"])

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-voting_closes"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="elections_selectionround_slug_per_region"),
            unique_case_number(),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="elections_round_seats_positive"),
            models.CheckConstraint(
                condition=models.Q(nomination_closes__gt=models.F("nomination_opens")),
                name="elections_round_nomination_period",
            ),
            models.CheckConstraint(
                condition=models.Q(voting_opens__gte=models.F("nomination_closes")),
                name="elections_round_voting_after_nomination",
            ),
            models.CheckConstraint(
                condition=models.Q(voting_closes__gt=models.F("voting_opens")), name="elections_round_voting_period"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("elections:detail", args=[self.slug])

    def nominations_open_now(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.NOMINATING and self.nomination_opens <= now < self.nomination_closes

    def voting_open_now(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.VOTING and self.voting_opens <= now < self.voting_closes

    def phase(self, now=None) -> str:
        """Where the round is as everyone sees it now: the status read together with its dates.

        Every page (the round, the agreement, the home page, Mina sidor, the vote page) derives "can
        nominate" and "can vote" from ``nominations_open_now`` and ``voting_open_now`` through this,
        so no page says voting is on while another says it is not.
        """
        now = now or timezone.now()
        if self.status == self.Status.NOMINATING:
            if self.nominations_open_now(now):
                return self.Phase.NOMINATING
            return self.Phase.NOMINATIONS_UPCOMING if now < self.nomination_opens else self.Phase.NOMINATIONS_CLOSED
        if self.status == self.Status.VOTING:
            if self.voting_open_now(now):
                return self.Phase.VOTING
            return self.Phase.VOTING_UPCOMING if now < self.voting_opens else self.Phase.VOTING_CLOSED
        return str(self.status)

    def phase_display(self) -> str:
        return str(self.Phase(self.phase()).label)

    class Phase(models.TextChoices):
        DRAFT = "draft", _("draft")
        NOMINATIONS_UPCOMING = "nominations_upcoming", _("nominations open soon")
        NOMINATING = "nominating", _("nominations open")
        NOMINATIONS_CLOSED = "nominations_closed", _("nominations closed, voting not yet open")
        VOTING_UPCOMING = "voting_upcoming", _("voting opens soon")
        VOTING = "voting", _("voting open")
        VOTING_CLOSED = "voting_closed", _("voting closed, the votes are being counted")
        COUNTED = "counted", _("counted")
        PUBLISHED = "published", _("result published")

    @property
    def candidates_public(self) -> bool:
        """Candidates are shown once nominations have closed (the field is known to all at once)."""
        return self.status in (self.Status.VOTING, self.Status.COUNTED, self.Status.PUBLISHED)


class Nomination(RegionalModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the candidate")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="nominations")
    nominating_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="nominations_made",
        verbose_name=_("nominated by (organisation)"),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations_made",
        verbose_name=_("nominated by (person)"),
    )
    candidate_name = models.CharField(_("candidate's name"), max_length=200)
    candidate_title = models.CharField(_("candidate's title or role"), max_length=200, blank=True)
    candidate_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="candidacies",
        verbose_name=_("candidate's organisation"),
    )
    presentation = models.TextField(_("presentation"), max_length=2000)
    candidate_email = models.EmailField(_("candidate's e-mail"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=2000)
    approvals = models.PositiveIntegerField(_("approvals"), null=True, blank=True)
    elected = models.BooleanField(_("elected"), default=False)
    drawn_by_lot = models.BooleanField(_("decided by lot"), default=False)
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)

    objects = regional_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["candidate_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "round",
                Lower("candidate_email"),
                condition=~models.Q(status__in=["declined", "withdrawn"]),
                name="elections_nomination_one_per_candidate",
            )
        ]

    def __str__(self):
        return f"{self.candidate_name} ({self.candidate_organisation})"


class BallotCast(RegionalModel, MandatedAct):
    """That an organisation voted, by whom and when, under which mandate and how the person was
    authenticated: never what (the ballot records none of this)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="casts")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="ballots_cast",
        verbose_name=_("organisation"),
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="ballots_cast",
        verbose_name=_("cast by"),
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)

    objects = regional_manager()

    class Meta:
        verbose_name = _("cast ballot")
        verbose_name_plural = _("cast ballots")
        ordering = ["cast_at"]
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="elections_one_ballot_per_org")]

    def __str__(self):
        return f"{self.organisation} – {self.round}"


class SealedBallot(RegionalModel):
    """A ballot as cast: the approvals sealed to the round's public key (``ballots.seal``).

    Written in the cast's transaction, so it pairs with the cast in the database; that is why it
    holds nothing readable: a random key, the round (and its region, the same for every ballot of the
    round) and a box of the same length for every ballot of the round, no time. The count opens and
    deletes it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="sealed_ballots")
    box = models.BinaryField()

    objects = regional_manager()

    class Meta:
        default_permissions = ()  # nobody reads ballots in the admin

    def __str__(self):
        return str(_("sealed ballot"))


class Ballot(RegionalModel):
    """What was voted, written by the count: a random key, no time, no organisation, no user, and
    stored in shuffled order in one transaction with every other ballot of the round."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="ballots")

    objects = regional_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        default_permissions = ()  # nobody reads ballots in the admin

    def __str__(self):
        return str(_("ballot"))


class BallotChoice(RegionalModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="ballot_choices")

    objects = regional_manager()

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["ballot", "nomination"], name="elections_choice_once")]

    def __str__(self):
        return str(_("approval"))


class VotingReminder(RegionalModel):
    """One reminder per organisation and round: a beat run twice never mails twice."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = regional_manager()

    class Meta:
        verbose_name = _("voting reminder")
        verbose_name_plural = _("voting reminders")
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="elections_reminder_once")]

    def __str__(self):
        return f"{self.organisation_id} – {self.round_id}"
