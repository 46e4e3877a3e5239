"""Sign-ups, changes and cancellations.

Capacity is guarded by locking the meeting row before counting (``select_for_update``), so
concurrent sign-ups on PostgreSQL queue up behind each other and never overbook. The
confirmation is rendered once, after the insert, from the registration as stored (its manage
link, status and waitlist position) and the meeting as locked, and its outbox row commits with
the registration. Rendering costs about a millisecond (templates + .ics); rendering ahead of the
lock with placeholders cost a second render of every e-mail and a re-render whenever the
prediction was wrong, and unlimited meetings, the common case, take no lock at all.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import retry_on_locked
from notifications.services import follow
from outbox.services import email_send_on_commit

from ..models import Meeting, Registration, RegistrationAnswer
from ..selectors import REGISTRATIONS_SCOPE, meeting_scope, pages, registration_waitlist_position
from . import single_statement
from .common import (
    RegistrationResult,
    confirmed_count,
    email_coordinators_fill,
    email_registration,
    fill_level_reached,
    promote_waitlisted,
    registration_email_rows,
)

logger = logging.getLogger(__name__)


@retry_on_locked  # the whole sign-up is one transaction: on SQLite, a lock held too long is waited out
def registration_create(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    consent: bool,
    phone: str = "",
    organisation=None,
    organisation_name: str = "",
    role: str = "",
    present_example: bool = False,
    example_description: str = "",
    needs: str = "",
    attendance: str = "",
    language: str = "",
    user=None,
    now: datetime | None = None,
    idempotency_key: str = "",
    answers: list | None = None,
    organisation_public: bool = False,
) -> RegistrationResult:
    """Sign someone up for a meeting: confirmed while places are left, else waitlisted (or refused).

    One active registration per e-mail and meeting: a second attempt creates nothing and
    re-sends the manage link (``created`` is False). The same form sent twice (the same
    ``idempotency_key`` with the same address, e.g. a POST retried after a dropped connection)
    stores and sends nothing and is answered with the first registration (``replayed``); the key
    with another address is ignored (a new sign-up). Raises ValidationError when registration
    is closed, the meeting is full without a waitlist, or consent is missing.

    A meeting with limited places is locked (``select_for_update``) for the count, the insert
    and the confirmation's outbox row, all in one transaction, so a sign-up is never stored
    without its e-mail row. Unlimited meetings take no lock; on PostgreSQL their registration and
    outbox row are one statement (``single_statement``), all or nothing like the transaction.
    """
    if not consent:
        raise ValidationError(_("You need to agree to how we handle your personal data."), code="consent")
    fields = _registration_fields(
        meeting=meeting,
        user=user,
        name=name,
        email=email,
        phone=phone,
        organisation=organisation,
        organisation_name=organisation_name,
        role=role,
        present_example=present_example,
        example_description=example_description,
        needs=needs,
        attendance=attendance,
        language=language,
        organisation_public=organisation_public,
    )
    result = _register(meeting=meeting, fields=fields, now=now, key=idempotency_key or None, answers=answers or [])
    if result.created:
        _log_created(result.registration)
        if user is not None and user.is_authenticated:
            follow(user=user, kind="meetings.meeting", obj=meeting)  # registering follows it (issue 25)
    return result


def _log_created(registration: Registration) -> None:
    """The new registration in the log: its id, status and meeting, never who signed up."""
    logger.info(
        "meetings: registration %s created (%s) for meeting %s",
        registration.pk,
        registration.status,
        registration.meeting_id,
    )


def _register(
    *, meeting: Meeting, fields: dict, now: datetime | None, key: str | None, answers: list
) -> RegistrationResult:
    """The sign-up as one transaction (BEGIN … COMMIT, no savepoint): count, insert and queue the
    e-mails, whose outbox rows commit with the registration. When a unique index refuses the insert
    (the same address or the same form token committed a moment ago) the transaction is rolled back
    as a whole and the sign-up is answered from what is stored."""
    try:
        # Answers to questions are rows of their own: such a sign-up takes the transaction.
        if meeting.capacity is None and not answers and single_statement.available():
            return _register_in_one_statement(meeting=meeting, fields=fields, now=now, key=key)
        with transaction.atomic():
            return _register_once(meeting=meeting, fields=fields, now=now, key=key, answers=answers)
    except IntegrityError:
        repeated = _repeated_submission(meeting=meeting, fields=fields, key=key)
        if repeated is None:
            # The one-statement insert refuses a meeting cancelled or unpublished meanwhile: say so.
            _check_open(Meeting.objects.get(pk=meeting.pk), confirmed=0, now=now or timezone.now())
            raise
    if repeated is _TOKEN_TAKEN:
        # The token came with someone else's sign-up (a form filled in again for another person):
        # this is a new sign-up, and the first person's registration is never shown.
        return _register(meeting=meeting, fields=fields, now=now, key=None, answers=answers)
    if repeated.replayed:
        return repeated
    with transaction.atomic():
        email_registration(repeated.registration, template="already_registered")
    return repeated


_TOKEN_TAKEN = object()


def _register_once(
    *, meeting: Meeting, fields: dict, now: datetime | None, key: str | None, answers: list
) -> RegistrationResult:
    if meeting.capacity is not None:
        # Lock before counting: concurrent sign-ups for limited places queue up here. The same
        # statement says whether the address is signed up already (then there is nothing to count).
        meeting = _locked_with_existing(meeting.pk, fields["email"])
        if meeting.existing_id is not None:
            existing = Registration.objects.select_related("meeting").get(pk=meeting.existing_id)
            if key and existing.idempotency_key == key:
                return RegistrationResult(existing, False, replayed=True)
            email_registration(existing, template="already_registered")
            return RegistrationResult(existing, False)
    registration, position, level, confirmed = _registration_insert(meeting=meeting, fields=fields, now=now, key=key)
    if answers:
        RegistrationAnswer.objects.bulk_create(
            [
                RegistrationAnswer(
                    registration=registration, question=question, question_text=question.text, value=value
                )
                for question, value in answers
            ]
        )
    _email_new_registration(registration, position=position, level=level, confirmed=confirmed)
    pages.bump(REGISTRATIONS_SCOPE, meeting_scope(registration.meeting.slug))
    return RegistrationResult(registration, True)


def _register_in_one_statement(*, meeting: Meeting, fields: dict, now, key: str | None) -> RegistrationResult:
    """A meeting without a capacity limit on PostgreSQL: the registration and its confirmation in one
    statement (``single_statement``), the page versions and the send after it, as on commit."""
    now = now or timezone.now()
    _check_open(meeting, confirmed=0, now=now)
    if not meeting.has_venue:
        fields = {**fields, "needs": ""}
    registration = Registration(
        pk=single_statement.registration_ids.take(),
        meeting=meeting,
        status=Registration.Status.CONFIRMED,
        consent_at=now,
        created_at=now,
        idempotency_key=key,
        **fields,
    )
    rows = registration_email_rows(registration, template="confirmation", ics=True)
    single_statement.insert_with_emails(registration, rows)
    pages.bump(REGISTRATIONS_SCOPE, meeting_scope(meeting.slug))
    email_send_on_commit([row.pk for row in rows])
    return RegistrationResult(registration, True)


def _check_open(meeting: Meeting, *, confirmed: int, now) -> str:
    """The meeting's state for a sign-up now ("open" or "waitlist"); ValidationError when it takes none."""
    state = meeting.registration_state(confirmed=confirmed, now=now)
    if state == "full":
        raise ValidationError(_("The meeting is full."), code="full")
    if state not in ("open", "waitlist"):
        raise ValidationError(_("Registration for this meeting is closed."), code=state)
    return state


def _locked_with_existing(meeting_id: int, email: str) -> Meeting:
    """The meeting, locked (``select_for_update``), with ``existing_id``: this address's active registration."""
    existing = (
        Registration.objects.annotate(email_lower=Lower("email"))
        .filter(meeting_id=OuterRef("pk"), email_lower=email.lower())
        .exclude(status=Registration.Status.CANCELLED)
        .values("pk")[:1]
    )
    return Meeting.objects.select_for_update(of=("self",)).annotate(existing_id=Subquery(existing)).get(pk=meeting_id)


def _repeated_submission(*, meeting: Meeting, fields: dict, key: str | None):
    """After a unique index refused the insert: the stored sign-up that answers this one.

    The same form token with the same address on this meeting, still active: the POST was sent twice,
    and is answered as the first was (``replayed``). The token with anything else: ``_TOKEN_TAKEN``.
    Else the address's active registration (``created`` False), or None when neither caught it."""
    if key:
        first = Registration.objects.select_related("meeting").filter(idempotency_key=key).first()
        if first is not None:
            same = (
                first.meeting_id == meeting.pk
                and first.email.lower() == fields["email"].lower()
                and first.status != Registration.Status.CANCELLED
            )
            return RegistrationResult(first, False, replayed=True) if same else _TOKEN_TAKEN
    existing = _active_registration(meeting.pk, fields["email"])
    return RegistrationResult(existing, False) if existing is not None else None


def _registration_fields(*, meeting: Meeting, user, attendance: str, **given) -> dict:
    """The columns of a new registration from what the form gave: trimmed, the address in lower case,
    the organisation's name from the organisation when none was typed, needs only for those on site."""
    attendance = _attendance_for(meeting, attendance)
    organisation = given["organisation"]
    present_example = given["present_example"]
    return {
        "user": user if user is not None and user.is_authenticated else None,
        "name": given["name"].strip(),
        "email": given["email"].strip().lower(),
        "phone": given["phone"].strip(),
        "organisation": organisation,
        "organisation_name": given["organisation_name"].strip() or (organisation.name if organisation else ""),
        "role": given["role"].strip(),
        "present_example": present_example,
        "example_description": given["example_description"].strip() if present_example else "",
        "needs": given["needs"].strip() if attendance != Registration.Attendance.ONLINE else "",
        "attendance": attendance,
        "privacy_policy_version": settings.PRIVACY_POLICY_VERSION,
        "language": (given["language"] or settings.LANGUAGE_CODE)[:8],
        "organisation_public": bool(given.get("organisation_public", False)),
    }


def _email_new_registration(registration: Registration, *, position, level, confirmed) -> None:
    """The confirmation (with the calendar file) or the waitlist place; the coordinators when a fill level is reached."""
    if registration.status == Registration.Status.CONFIRMED:
        email_registration(registration, template="confirmation", ics=True)
    else:
        email_registration(registration, template="waitlisted", extra={"position": position})
    if level:
        email_coordinators_fill(registration.meeting, level=level, confirmed=confirmed)


def _attendance_for(meeting: Meeting, attendance: str) -> str:
    """On site or online for a hybrid meeting (required); nothing for a meeting of one format."""
    if not meeting.is_hybrid:
        return ""
    if attendance not in Registration.Attendance.values:
        raise ValidationError(_("Choose whether you take part on site or online."), code="attendance")
    return attendance


def _active_registration(meeting_id: int, email: str) -> Registration | None:
    # Lower() matches the expression of the unique index, so the lookup uses it.
    return (
        Registration.objects.select_related("meeting")
        .annotate(email_lower=Lower("email"))
        .filter(meeting_id=meeting_id, email_lower=email.lower())
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def _registration_insert(*, meeting: Meeting, fields: dict, now: datetime | None, key: str | None):
    """Count and insert (the meeting locked when places are limited). Returns (registration, waitlist
    position, fill level, confirmed). A unique index refusing the insert raises IntegrityError, which
    ends the transaction: no savepoint is taken for the rare repeat, the common sign-up saves two round trips."""
    # Taken after the lock, so the waitlist order is the order in which sign-ups got the lock.
    now = now or timezone.now()
    confirmed = confirmed_count(meeting) if meeting.capacity is not None else 0
    state = _check_open(meeting, confirmed=confirmed, now=now)
    status = Registration.Status.CONFIRMED if state == "open" else Registration.Status.WAITLISTED
    if not meeting.has_venue:
        fields = {**fields, "needs": ""}
    if meeting.capacity is None and _current_status(meeting.pk) != Meeting.Status.PUBLISHED:
        raise ValidationError(_("Registration for this meeting is closed."), code="cancelled")
    registration = Registration.objects.create(
        meeting=meeting, status=status, consent_at=now, created_at=now, idempotency_key=key, **fields
    )
    position = level = None
    if status == Registration.Status.CONFIRMED:
        confirmed += 1
        level = fill_level_reached(meeting, confirmed)
    else:
        position = registration_waitlist_position(registration=registration)
    return registration, position, level, confirmed


def _current_status(meeting_id: int) -> str | None:
    """The meeting's committed status for a sign-up that locks nothing (no place limit), read ``FOR KEY
    SHARE`` on PostgreSQL: a cancellation holding the meeting (its participants listed and mailed) makes
    this wait for its commit and then read the new row, where the deferred foreign-key check alone would
    have let the sign-up through at the commit, confirmed. Other sign-ups share the lock, they do not wait."""
    query = Meeting.objects.filter(pk=meeting_id).values_list("status", flat=True)
    if connection.vendor != "postgresql":
        return query.first()  # SQLite: the write lock orders the two transactions
    statement, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"{statement} FOR KEY SHARE", params)
        row = cursor.fetchone()
    return row[0] if row else None


def registration_update(
    *,
    registration: Registration,
    name: str,
    phone: str = "",
    organisation_name: str = "",
    role: str = "",
    present_example: bool = False,
    example_description: str = "",
    needs: str = "",
    attendance: str = "",
) -> Registration:
    """Change the details of an active registration of a meeting that has not ended (for a hybrid
    meeting also whether the person comes on site or online)."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("meeting").get(pk=registration.pk)
        if not registration.is_active or registration.meeting.is_past:
            raise ValidationError(_("This registration can no longer be changed."), code="locked")
        registration.name = name.strip()
        registration.phone = phone.strip()
        registration.organisation_name = organisation_name.strip()
        registration.role = role.strip()
        registration.present_example = present_example
        registration.example_description = example_description.strip() if present_example else ""
        registration.attendance = _attendance_for(registration.meeting, attendance)
        on_site = registration.meeting.has_venue and registration.attendance != Registration.Attendance.ONLINE
        registration.needs = needs.strip() if on_site else ""
        registration.save()
        pages.bump(REGISTRATIONS_SCOPE, meeting_scope(registration.meeting.slug))
    logger.info("meetings: registration %s updated", registration.pk)
    return registration


def registration_cancel(*, registration: Registration, by_coordinator: bool = False) -> list[Registration]:
    """Cancel a registration; the person gets a receipt (saying who cancelled), and a freed place
    goes to the first on the waitlist, who is told.

    Returns the promoted registrations (none or one, more only if capacity was raised)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return []
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        email_registration(registration, template="registration_cancelled", extra={"by_coordinator": by_coordinator})
        promoted = promote_waitlisted(meeting)
        pages.bump(REGISTRATIONS_SCOPE, meeting_scope(meeting.slug))
    logger.info("meetings: registration %s cancelled, %s promoted", registration.pk, len(promoted))
    return promoted


def registrations_mark_attended(*, registrations, attended: bool | None) -> int:
    """Record attendance for many registrations at once (coordinators, after the meeting)."""
    with transaction.atomic():
        ids = [r.pk for r in registrations]
        changed = Registration.objects.filter(pk__in=ids).update(attended=attended, updated_at=timezone.now())
        # The public page names the organisations that took part: it follows attendance.
        for slug in set(Meeting.objects.filter(registrations__pk__in=ids).values_list("slug", flat=True)):
            pages.bump(REGISTRATIONS_SCOPE, meeting_scope(slug))
        return changed


def registration_record_join(*, registration: Registration, now: datetime | None = None) -> bool:
    """Record that a confirmed participant opened the meeting through their personal join link.

    One conditional UPDATE: only the first of any number of clicks (on any device, at the same
    moment) finds ``joined_at`` empty, so attendance is recorded once. Returns whether this was it."""
    now = now or timezone.now()
    updated = Registration.objects.filter(
        pk=registration.pk, status=Registration.Status.CONFIRMED, joined_at__isnull=True
    ).update(joined_at=now, attended=True, updated_at=now)
    if updated:
        pages.bump(REGISTRATIONS_SCOPE, meeting_scope(registration.meeting.slug))
        logger.info("meetings: registration %s joined online", registration.pk)
    return bool(updated)


CHECKIN_CODE_MAX = 40  # what the check-in form takes: a code, a pasted code with spaces, a scanned value


def normalise_checkin_code(value: str) -> str:
    """A typed or scanned code as stored: capitals, without spaces and dashes (``acde fghj`` → ``ACDEFGHJ``)."""
    return "".join(ch for ch in value.upper() if ch.isalnum())[:CHECKIN_CODE_MAX]


@dataclass(frozen=True)
class CheckInResult:
    # checked_in, already (a second scan), other_meeting, not_confirmed (cancelled or waitlisted), unknown
    outcome: str
    registration: Registration | None = None


def registration_check_in(*, meeting: Meeting, code: str, now: datetime | None = None) -> CheckInResult:
    """Mark the person whose check-in code ``code`` is as arrived at ``meeting``.

    A code of another meeting, of a cancelled or waitlisted registration, or no code at all records
    nothing. A second scan of the same code says when the first was; the conditional UPDATE lets one
    of two scans at the same moment record the arrival and tells the other it was already done."""
    now = now or timezone.now()
    code = normalise_checkin_code(code)
    if not code:
        return CheckInResult("unknown")
    registration = Registration.objects.select_related("meeting").filter(checkin_code=code).first()
    if registration is None:
        return CheckInResult("unknown")
    if registration.meeting_id != meeting.pk:
        return CheckInResult("other_meeting", registration)
    if registration.status != Registration.Status.CONFIRMED:
        return CheckInResult("not_confirmed", registration)
    updated = Registration.objects.filter(
        pk=registration.pk, status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=now, attended=True, updated_at=now)
    registration.refresh_from_db(fields=["status", "checked_in_at", "attended"])
    if not updated:
        # Cancelled between the read and the UPDATE (the person cancelled at the door), or scanned already.
        if registration.status != Registration.Status.CONFIRMED:
            return CheckInResult("not_confirmed", registration)
        return CheckInResult("already", registration)
    pages.bump(REGISTRATIONS_SCOPE, meeting_scope(meeting.slug))
    logger.info("meetings: registration %s checked in", registration.pk)
    return CheckInResult("checked_in", registration)
