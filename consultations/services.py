"""Writes with business rules for consultations: opening, answering, reminders, closing and the compilation.

``now`` is a keyword on every service that depends on the clock, so that tests set the time instead
of waiting for it. Every write the public can see moves the page version on (``pages_changed``).
"""

import logging
from collections import defaultdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from organisations.models import Organisation
from organisations.representation import Recipient, acts_for, recipients_by_organisation
from outbox.services import email_queue

from . import permissions, selectors
from .cache import pages_changed
from .models import PDF_ONLY, Answer, Consultation, Reminder, Section, SectionAnswer, SectionResponse

logger = logging.getLogger(__name__)


class ConsultationClosedError(ValidationError):
    """The deadline has passed (or the consultation is not open) and no late answer was allowed."""


class AnswerLockedError(ValidationError):
    """The answer has been submitted: it is read-only until a coordinator reopens it."""


# --- Recipients ---------------------------------------------------------------------------------------


def organisation_recipients(organisations) -> dict[int, list[Recipient]]:
    """(address, language) per organisation, once each: its active representatives and its confirmed
    contact persons. A consultation is the region's approach to the organisation itself, so its
    registered contacts hear of it even where nobody has an account (``organisations.representation``)."""
    return recipients_by_organisation(organisations, include_contacts=True)


def recipients_count(organisations) -> int:
    """How many e-mails ``_mail_organisations`` queues for these organisations (one per address and organisation)."""
    return sum(len(addresses) for addresses in organisation_recipients(list(organisations)).values())


def _mail_organisations(organisations, *, template: str, kind: str, context: dict) -> int:
    """One e-mail per recipient and language for each organisation, in the recipient's language."""
    organisations = list(organisations)
    recipients = organisation_recipients(organisations)
    queued = 0
    for organisation in organisations:
        by_language: dict[str, list[str]] = defaultdict(list)
        for address, language in recipients.get(organisation.pk, []):
            by_language[language].append(address)
        for language, addresses in by_language.items():
            rows = email_queue(
                to=addresses,
                template=template,
                context={**context, "organisation": organisation},
                language=language,
                kind=kind,
            )
            queued += len(rows)
    return queued


# --- The consultation ---------------------------------------------------------------------------------


# Each status step checks its preconditions here, against the status and the deadline the pages show:
# open needs a draft with sections, a deadline in the future and somebody invited; close needs an open
# consultation whose deadline has passed (until then it is open on every page); the compilation needs
# the deadline passed (the answers are public from then on). A ``*_preview`` computes, from the same
# checks and recipient lists, what the admin's confirmation page shows (core/admin_confirm.py).


def _when(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _open_problems(consultation: Consultation, now: datetime) -> list[ValidationError]:
    problems = []
    if consultation.status != Consultation.Status.DRAFT:
        problems.append(ValidationError(_("Only a draft consultation can be opened."), code="not_draft"))
    if not consultation.sections.exists():
        problems.append(
            ValidationError(_("Add at least one section before opening the consultation."), code="no_sections")
        )
    if consultation.closes_at <= now:
        problems.append(ValidationError(_("The deadline must be in the future."), code="deadline_passed"))
    if not selectors.invited_organisations(consultation=consultation).exists():
        problems.append(ValidationError(_("No verified organisation is invited to answer."), code="nobody_invited"))
    return problems


def _raise(problems: list[ValidationError]) -> None:
    """One problem is raised as it is (with its code); several together, so the coordinator sees them all."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)


def _texts(problems: list[ValidationError]) -> list[str]:
    return [message for problem in problems for message in problem.messages]


def consultation_open_preview(*, consultation: Consultation, now: datetime | None = None) -> Preview:
    now = now or timezone.now()
    invited = list(selectors.invited_organisations(consultation=consultation))
    count = recipients_count(invited)
    return Preview(
        obj=consultation,
        effects=[
            _("The consultation is published and open for answers until %(deadline)s.")
            % {"deadline": _when(consultation.closes_at)},
            _("%(count)s invited organisation(s) are told by e-mail.") % {"count": len(invited)},
            _("The sections can no longer be changed: the answers refer to them."),
        ],
        recipients=count,
        irreversible=[
            _(
                "The e-mails cannot be recalled once sent. The consultation can go back to draft only while "
                "no organisation has started an answer."
            )
        ],
        problems=_texts(_open_problems(consultation, now)),
    )


@transaction.atomic
def consultation_open(*, consultation: Consultation, by=None, now: datetime | None = None) -> Consultation:
    """A coordinator opens a draft: every invited organisation's representatives and contacts are told."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _raise(_open_problems(consultation, now))
    invited = list(selectors.invited_organisations(consultation=consultation))
    consultation.status = Consultation.Status.OPEN
    consultation.opens_at = now
    consultation._history_user = by
    consultation.save()
    pages_changed()
    queued = _mail_organisations(
        invited, template="consultations/opened", kind="consultations.opened", context={"consultation": consultation}
    )
    logger.info("consultations: %s opened, %s invited organisations, %s e-mails", consultation.pk, len(invited), queued)
    return consultation


def _step_back_problems(consultation: Consultation) -> list[ValidationError]:
    if consultation.status != Consultation.Status.OPEN:
        return [ValidationError(_("Only an open consultation can go back to draft."), code="not_open")]
    if consultation.answers.exists():
        return [
            ValidationError(
                _("Organisations have started answering: the consultation cannot go back to draft."), code="answered"
            )
        ]
    return []


def consultation_step_back_preview(*, consultation: Consultation, now: datetime | None = None) -> Preview:
    return Preview(
        obj=consultation,
        effects=[_("The consultation goes back to draft and is no longer shown publicly; its sections can be edited.")],
        recipients=0,
        irreversible=[
            _("Nobody is told. The invitation the organisations got cannot be recalled: tell them yourself if needed.")
        ],
        problems=_texts(_step_back_problems(consultation)),
    )


@transaction.atomic
def consultation_step_back(*, consultation: Consultation, by=None) -> Consultation:
    """Take an opening back while no organisation has started an answer: the consultation is a draft again.

    Nobody is mailed (the invitation already sent cannot be recalled); the step is in the history.
    """
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _raise(_step_back_problems(consultation))
    consultation.status = Consultation.Status.DRAFT
    consultation.opens_at = None
    consultation._history_user = by
    consultation._change_reason = "step back"
    consultation.save()
    pages_changed()
    logger.info("consultations: %s back to draft", consultation.pk)
    return consultation


def _close_problems(consultation: Consultation, now: datetime) -> list[ValidationError]:
    if consultation.status != Consultation.Status.OPEN:
        return [ValidationError(_("Only an open consultation can be closed."), code="not_open")]
    if not consultation.deadline_passed(now):
        return [
            ValidationError(
                _("The deadline has not passed yet. Move the deadline if the consultation should close earlier."),
                code="deadline_not_passed",
            )
        ]
    return []


def consultation_close_preview(*, consultation: Consultation, now: datetime | None = None) -> Preview:
    now = now or timezone.now()
    return Preview(
        obj=consultation,
        effects=[
            _("The consultation is closed; the deadline was %(deadline)s.")
            % {"deadline": _when(consultation.closes_at)},
            _("Only organisations you accept a late answer from can still answer."),
        ],
        recipients=0,
        problems=_texts(_close_problems(consultation, now)),
    )


@transaction.atomic
def consultation_close(*, consultation: Consultation, by=None, now: datetime | None = None) -> Consultation:
    """Close an open consultation whose deadline has passed (the beat task does it; coordinators may too)."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _raise(_close_problems(consultation, now))
    consultation.status = Consultation.Status.CLOSED
    consultation.closed_at = now
    consultation._history_user = by
    consultation.save()
    pages_changed()
    logger.info("consultations: %s closed", consultation.pk)
    return consultation


def consultations_close_due(*, now: datetime | None = None) -> int:
    """Close every open consultation whose deadline has passed; returns how many."""
    now = now or timezone.now()
    closed = 0
    for consultation in Consultation.objects.filter(status=Consultation.Status.OPEN, closes_at__lte=now):
        try:
            consultation_close(consultation=consultation, now=now)
        except ValidationError:
            continue  # someone else closed it in the meantime
        closed += 1
    return closed


@transaction.atomic
def section_response_set(*, section: Section, text: str, by) -> SectionResponse | None:
    """A coordinator writes how the answers on a section were dealt with; an empty text removes it."""
    text = text.strip()
    if "\x00" in text:
        raise ValidationError(_("The text contains a character that is not allowed."), code="null_character")
    pages_changed()
    if not text:
        SectionResponse.objects.filter(section=section).delete()
        return None
    response, _created = SectionResponse.objects.update_or_create(
        section=section, defaults={"text": text, "written_by": by}
    )
    return response


def _compile_problems(consultation: Consultation, now: datetime) -> list[ValidationError]:
    if consultation.status == Consultation.Status.COMPILED:
        return [ValidationError(_("The compilation has already been published."), code="already_compiled")]
    if not consultation.answers_are_public(now):
        return [
            ValidationError(
                _("The compilation can be published only after the deadline for answers."), code="still_open"
            )
        ]
    return []


def compilation_publish_preview(*, consultation: Consultation, now: datetime | None = None) -> Preview:
    now = now or timezone.now()
    invited = list(selectors.invited_organisations(consultation=consultation))
    effects = [
        _("The compilation is published with the region's responses; the answers stay public."),
        _("%(count)s invited organisation(s) are told by e-mail.") % {"count": len(invited)},
    ]
    late = consultation.answers.filter(late_allowed=True, state=Answer.State.DRAFT).count()
    if late:
        effects.append(
            _("%(count)s organisation(s) allowed to answer late and not yet submitted can no longer answer.")
            % {"count": late}
        )
    return Preview(
        obj=consultation,
        effects=effects,
        recipients=recipients_count(invited),
        irreversible=[_("The compilation is public and the e-mails cannot be recalled.")],
        problems=_texts(_compile_problems(consultation, now)),
    )


@transaction.atomic
def compilation_publish(
    *, consultation: Consultation, by=None, summary: str | None = None, now: datetime | None = None
) -> Consultation:
    """Publish the compilation (remissammanställning) after the deadline; invited organisations are told."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _raise(_compile_problems(consultation, now))
    if consultation.status == Consultation.Status.OPEN:
        consultation.closed_at = now
    consultation.status = Consultation.Status.COMPILED
    consultation.compiled_at = now
    if summary is not None:
        consultation.compilation_summary = summary.strip()
    consultation._history_user = by
    consultation.save()
    pages_changed()
    invited = list(selectors.invited_organisations(consultation=consultation))
    _mail_organisations(
        invited,
        template="consultations/compiled",
        kind="consultations.compiled",
        context={"consultation": consultation},
    )
    logger.info("consultations: compilation of %s published", consultation.pk)
    return consultation


# --- Answers -----------------------------------------------------------------------------------------


def _check_may_answer(*, consultation: Consultation, organisation: Organisation, user) -> None:
    if user is None or not user.is_authenticated:
        raise ValidationError(_("Log in to answer for your organisation."), code="not_logged_in")
    if not acts_for(user, organisation):
        raise ValidationError(
            _("Only a representative of the organisation can answer for it."), code="not_representative"
        )
    if not selectors.is_invited(consultation=consultation, organisation=organisation):
        raise ValidationError(
            _("%(organisation)s is not invited to answer this consultation.") % {"organisation": organisation.name},
            code="not_invited",
        )


def _check_accepting(*, consultation: Consultation, answer: Answer | None, now: datetime) -> None:
    if permissions.accepting_answers(consultation, now, answer=answer):
        return
    raise ConsultationClosedError(
        _(
            "The deadline for answers was %(deadline)s and no more answers are accepted. "
            "Contact the region if your organisation needs to answer late."
        )
        % {"deadline": date_format(timezone.localtime(consultation.closes_at), "DATETIME_FORMAT")},
        code="closed",
    )


def _lock_consultation_of(answer: Answer) -> Consultation:
    """Lock the answer's consultation row: the parent is always locked before the answer."""
    consultation_id = Answer.objects.values_list("consultation_id", flat=True).get(pk=answer.pk)
    return Consultation.objects.select_for_update().get(pk=consultation_id)


@transaction.atomic
def answer_save(
    *,
    consultation: Consultation,
    organisation: Organisation,
    user,
    positions: dict[int, tuple[str, str]],
    general_comment: str = "",
    attachment=None,
    remove_attachment: bool = False,
    now: datetime | None = None,
) -> Answer:
    """Save the organisation's answer as a draft (every submit of the form saves it).

    ``positions`` maps section id to (position, comment); unknown sections are ignored. Answering
    twice edits the one answer. Raises ``AnswerLockedError`` once it is submitted and
    ``ConsultationClosedError`` after the deadline (unless a coordinator allowed a late answer).
    """
    now = now or timezone.now()
    _check_may_answer(consultation=consultation, organisation=organisation, user=user)
    # Lock the consultation (the parent, always first) so two representatives saving at once do not
    # both create the answer, then the answer.
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    answer = Answer.objects.select_for_update().filter(consultation=consultation, organisation=organisation).first()
    _check_accepting(consultation=consultation, answer=answer, now=now)
    if answer is not None and answer.is_submitted:
        raise AnswerLockedError(
            _("%(organisation)s has already submitted its answer. Contact the region if it needs to be changed.")
            % {"organisation": organisation.name},
            code="submitted",
        )
    if answer is None:
        answer = Answer(consultation=consultation, organisation=organisation, created_by=user)
    answer.general_comment = general_comment.strip()
    if attachment:
        PDF_ONLY(attachment)
        answer.attachment.save("answer.pdf", attachment, save=False)
    elif remove_attachment and answer.attachment:
        answer.attachment.delete(save=False)
        answer.attachment = ""
    answer._history_user = user
    answer.save()
    existing = {row.section_id: row for row in answer.sections.all()} if answer.pk else {}
    for section in consultation.sections.all():
        if section.pk not in positions:
            continue
        position, comment = positions[section.pk]
        row = existing.get(section.pk) or SectionAnswer(answer=answer, section=section)
        row.position, row.comment = position or "", (comment or "").strip()
        row.save()
    return answer


@transaction.atomic
def answer_submit(*, answer: Answer, user, now: datetime | None = None) -> Answer:
    """Submit a draft answer: a position on every section is needed. The answer is then read-only.

    After the deadline only an answer a coordinator allowed is accepted, and it is marked late.
    The submitter gets a receipt.
    """
    now = now or timezone.now()
    # Locks in the one order every answer write uses: the consultation first, then the answer (a
    # ``select_related`` here would lock the joined consultation row *after* the answer and deadlock
    # with a save running at the same moment).
    consultation = _lock_consultation_of(answer)
    answer = Answer.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=answer.pk)
    answer.consultation = consultation
    _check_may_answer(consultation=consultation, organisation=answer.organisation, user=user)
    _check_accepting(consultation=consultation, answer=answer, now=now)
    if answer.is_submitted:
        raise AnswerLockedError(_("The answer has already been submitted."), code="submitted")
    given = {row.section_id for row in answer.sections.all() if row.position}
    missing = [s.heading for s in consultation.sections.all() if s.pk not in given]
    if missing:
        raise ValidationError(
            _("Your draft is saved. To submit, take a position on every section. Missing: %(sections)s.")
            % {"sections": ", ".join(missing)},
            code="incomplete",
        )
    answer.state = Answer.State.SUBMITTED
    answer.submitted_by = user
    answer.submitted_at = now
    answer.late = consultation.deadline_passed(now)
    answer._history_user = user
    answer.save()
    pages_changed()
    if user.email:
        email_queue(
            to=user.email,
            template="consultations/answer_submitted",
            context={"consultation": consultation, "organisation": answer.organisation, "answer": answer},
            language=user.language or None,
            kind="consultations.answer_submitted",
        )
    logger.info("consultations: answer %s submitted%s", answer.pk, " late" if answer.late else "")
    return answer


def _reopen_problems(consultation: Consultation, answer: Answer, now: datetime) -> list[ValidationError]:
    if not answer.is_submitted:
        return [ValidationError(_("Only a submitted answer can be reopened."), code="not_submitted")]
    if consultation.status == Consultation.Status.COMPILED:
        return [ValidationError(_("The compilation is published: its answers can no longer change."), code="compiled")]
    return []


def answer_reopen_preview(*, answer: Answer, now: datetime | None = None) -> Preview:
    now = now or timezone.now()
    effects = [_("The answer becomes a draft again that the organisation's representatives can change and submit.")]
    if answer.consultation.answers_are_public(now):
        effects.append(
            _(
                "The deadline has passed: the organisation may submit it late (it is marked as late), and until "
                "then it is not shown publicly."
            )
        )
    return Preview(
        obj=answer,
        effects=effects,
        recipients=0,
        irreversible=[_("Nobody is told: tell the organisation yourself.")],
        problems=_texts(_reopen_problems(answer.consultation, answer, now)),
    )


@transaction.atomic
def answer_reopen(*, answer: Answer, by, now: datetime | None = None) -> Answer:
    """A coordinator reopens a submitted answer so the organisation can change it. Not once the
    compilation is published. After the deadline the reopened answer may be submitted late (without
    that it would be a draft nobody can submit, and the retention purge deletes drafts)."""
    now = now or timezone.now()
    consultation = _lock_consultation_of(answer)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    _raise(_reopen_problems(consultation, answer, now))
    answer.state = Answer.State.DRAFT
    answer.submitted_at = None
    answer.late = False
    if consultation.answers_are_public(now):
        answer.late_allowed = True
    answer._history_user = by
    answer.save()
    pages_changed()
    logger.info("consultations: answer %s reopened by user %s", answer.pk, getattr(by, "pk", None))
    return answer


@transaction.atomic
def answer_allow_late(*, consultation: Consultation, organisation: Organisation, by) -> Answer:
    """A coordinator accepts an answer after the deadline from one organisation; it will be marked late."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status not in (Consultation.Status.OPEN, Consultation.Status.CLOSED):
        raise ValidationError(
            _("Late answers can be accepted only until the compilation is published."), code="not_open"
        )
    if not selectors.is_invited(consultation=consultation, organisation=organisation):
        raise ValidationError(
            _("%(organisation)s is not invited to answer this consultation.") % {"organisation": organisation.name},
            code="not_invited",
        )
    answer, _created = Answer.objects.get_or_create(consultation=consultation, organisation=organisation)
    if answer.is_submitted:
        raise ValidationError(_("The organisation has already submitted its answer."), code="submitted")
    answer.late_allowed = True
    answer._history_user = by
    answer.save()
    logger.info("consultations: late answer allowed for answer %s", answer.pk)
    return answer


# --- Reminders ---------------------------------------------------------------------------------------


def reminders_plan(*, now: datetime | None = None) -> int:
    """Remind invited organisations that have not submitted, 7 days and 1 day before the deadline.

    Each (consultation, organisation, kind) once: the unique constraint on Reminder decides, so a
    second run, or a second worker at the same time, mails nobody twice. A reminder whose time had
    already passed when the consultation opened is skipped (the invitation was just sent), and the
    7-day one is skipped once the 1-day one is due.
    """
    now = now or timezone.now()
    queued = 0
    for consultation in Consultation.objects.filter(status=Consultation.Status.OPEN, closes_at__gt=now):
        for kind in (Reminder.Kind.DAY, Reminder.Kind.WEEK):
            due_at = consultation.closes_at - Reminder.OFFSETS[kind]
            if now < due_at or (consultation.opens_at and consultation.opens_at >= due_at):
                continue
            if kind == Reminder.Kind.WEEK and now >= consultation.closes_at - Reminder.OFFSETS[Reminder.Kind.DAY]:
                continue
            organisations = (
                selectors.invited_organisations(consultation=consultation)
                .exclude(
                    pk__in=Answer.objects.filter(consultation=consultation, state=Answer.State.SUBMITTED).values(
                        "organisation"
                    )
                )
                .exclude(pk__in=Reminder.objects.filter(consultation=consultation, kind=kind).values("organisation"))
            )
            for organisation in list(organisations):
                try:
                    with transaction.atomic():
                        Reminder.objects.create(consultation=consultation, organisation=organisation, kind=kind)
                        queued += _mail_organisations(
                            [organisation],
                            template="consultations/reminder",
                            kind=f"consultations.reminder.{kind}",
                            context={"consultation": consultation, "kind": kind},
                        )
                except IntegrityError:
                    continue  # another run got there first
    if queued:
        logger.info("consultations: %s reminder e-mails queued", queued)
    return queued
