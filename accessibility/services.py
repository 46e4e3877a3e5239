"""Reports of accessibility shortcomings: stored, sent to the region's coordinators through the outbox, and
acknowledged to the sender when they gave an address."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.links import site_url
from core.permissions import coordinator_emails
from core.region_state import current_region
from outbox.services import email_queue

from .models import AccessibilityReport

logger = logging.getLogger(__name__)


def _recipients() -> list[str]:
    """The region's coordinators; its contact address when it has none (a report is never lost)."""
    region = current_region()
    if region is None:
        return []
    own = {email.lower() for email in region.coordinators.values_list("email", flat=True)}
    found = [email for email in coordinator_emails() if email.lower() in own]
    return found or ([region.contact_email] if region.contact_email else [])


def _sent_before(key: str | None, message: str, email: str) -> AccessibilityReport | None:
    """The report the same form (its token) sent before with the same message and address: a POST sent
    twice (a double click, a retry after a dropped connection) is answered from it. The token with other
    content is a new report (a form filled in again after the back button)."""
    if not key:
        return None
    first = AccessibilityReport.objects.filter(idempotency_key=key).first()
    if first is None or (first.message, first.email.lower()) != (message.strip(), email.strip().lower()):
        return None
    return first


def accessibility_report_submit(
    *,
    message: str,
    page: str = "",
    wants_other_format: bool = False,
    name: str = "",
    email: str = "",
    language: str,
    idempotency_key: str = "",
) -> AccessibilityReport:
    """Store a report and queue the e-mails: to the coordinators (reply goes to the sender), and a receipt
    to the sender in their language when they gave an address. The same form sent twice stores and sends
    nothing more (its token, unique per region, settles two such POSTs racing)."""
    key = idempotency_key or None
    first = _sent_before(key, message, email)
    if first is not None:
        return first
    if key and AccessibilityReport.objects.filter(idempotency_key=key).exists():
        key = None  # the token came with other content: a new report
    try:
        return _store(message, page, wants_other_format, name, email, language, key)
    except IntegrityError:
        first = _sent_before(key, message, email)
        if first is None:
            return _store(message, page, wants_other_format, name, email, language, None)
        return first


def _store(message, page, wants_other_format, name, email, language, key) -> AccessibilityReport:
    with transaction.atomic():
        report = AccessibilityReport.objects.create(
            message=message.strip(),
            page=page.strip(),
            wants_other_format=wants_other_format,
            name=name.strip(),
            email=email.strip(),
            language=language,
            idempotency_key=key,
        )
        context = {"report": report, "statement_url": site_url() + reverse("accessibility:statement")}
        recipients = _recipients()
        if recipients:
            email_queue(
                to=recipients,
                template="accessibility/report_notification",
                context={
                    **context,
                    "admin_url": site_url()
                    + reverse("admin:accessibility_accessibilityreport_change", args=[report.pk]),
                },
                language=settings.LANGUAGE_CODE,
                reply_to=report.email,
                kind="accessibility.report_notification",
            )
        if report.email:
            email_queue(
                to=report.email,
                template="accessibility/report_receipt",
                context=context,
                language=language,
                kind="accessibility.report_receipt",
            )
    logger.info("accessibility: report %s stored, %s coordinator(s) told", report.pk, len(recipients))
    return report
