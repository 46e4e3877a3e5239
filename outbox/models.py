from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import RegionalModel
from core.regions import regional_manager


class MessageTextField(models.TextField):
    """A message's text, stored by ``bulk_create`` as one parameter per row.

    On PostgreSQL Django inserts many rows as ``UNNEST`` of one array per column; psycopg then escapes
    every element of a text array in Python (a regular-expression pass over each quote of an HTML body):
    4–5 ms per e-mail, half the cost of planning a reminder. A field with its own placeholder makes Django
    use plain ``VALUES`` rows, whose strings libpq escapes (issue 29)."""

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class OutgoingEmail(RegionalModel):
    """One e-mail to one recipient: a row first, a message second.

    Rendered and stored in the same transaction as the change that caused it; the send
    task is queued on commit, claims the row under a lock and sends it once. The sweeper
    re-queues rows that were never picked up (broker down) or got stuck while sending.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=100, blank=True, db_index=True)
    to = models.EmailField(_("recipient"), max_length=254)
    from_email = models.CharField(_("sender"), max_length=254)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    body_text = MessageTextField(_("text"))
    body_html = MessageTextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_idx")]

    def __str__(self):
        return self.subject
