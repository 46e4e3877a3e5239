"""What the outbox holds about a person: the e-mails sent (or to be sent) to their addresses.

Erasure, last of all (``order``), so that it also catches what the other apps' erasure queued:
e-mails not yet sent to the person (queued, sending, failed) are deleted, never to be sent to an
erased account; sent ones stay as the record that something was sent, of what kind and when, without
the address, the subject or the content. The address is scrubbed from every other e-mail too (a
coordinator's notice that names it, a reply-to, a header).
"""

from django.db.models import Q

from core.personal_data import addresses_of, linked_rows, scrub_addresses, scrub_text

from .models import OutgoingEmail

ERASED = "–"
TEXT_FIELDS = ["subject", "body_text", "body_html", "reply_to", "last_error"]
# Not exported: the sending machinery, and the texts, which carry working keys (a password reset, the
# link that manages a sign-up) that must not sit in a downloaded file; what, when and to whom is shown.
NOT_EXPORTED = {
    "body_text",
    "body_html",
    "attachments",
    "headers",
    "message_id",
    "claimed_at",
    "attempts",
    "next_attempt_at",
    "last_error",
}


def _to(addresses) -> Q:
    by_address = Q(pk__in=[])
    for address in addresses:
        by_address |= Q(to__iexact=address)
    return by_address


def export(user) -> dict:
    rows = linked_rows(OutgoingEmail, user, also=_to(addresses_of(user=user)), hidden=NOT_EXPORTED)
    return {"outbox.OutgoingEmail": rows}


def erase(user) -> dict:
    addresses = addresses_of(user=user)
    to_person = OutgoingEmail.objects.filter(_to(addresses))
    pending, _ = to_person.exclude(status=OutgoingEmail.Status.SENT).delete()
    sent = 0
    for pk in to_person.order_by("pk").values_list("pk", flat=True):
        sent += OutgoingEmail.objects.filter(pk=pk).update(
            to=f"anonymiserad-{pk}@invalid.example",
            subject=ERASED,
            body_text=ERASED,
            body_html="",
            reply_to="",
            attachments=[],
            headers={},
            last_error="",
        )
    mentions = scrub_addresses(OutgoingEmail.objects.all(), TEXT_FIELDS, addresses)
    in_headers = Q(pk__in=[])
    for address in addresses:
        in_headers |= Q(headers__icontains=address)
    for email in OutgoingEmail.objects.filter(in_headers).only("pk", "headers"):
        headers = {key: scrub_text(str(value), addresses) for key, value in email.headers.items()}
        mentions += OutgoingEmail.objects.filter(pk=email.pk).update(headers=headers)
    return {"pending_deleted": pending, "sent_anonymised": sent, "mentions_scrubbed": mentions}
