"""An organisation's answer: saved as a draft, submitted once, reopened or allowed late by a coordinator."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.admin_confirm import Preview
from organisations.models import Organisation
from organisations.representation import acts_for, mandate_for, mandate_needed_message
from outbox.services import email_queue

from .. import permissions, selectors
from ..cache import pages_changed
from ..models import PDF_ONLY, Answer, Consultation, SectionAnswer
from .problems import raise_problems, texts

logger = logging.getLogger(__name__)


class ConsultationClosedError(ValidationError):
    """The deadline has passed (or the consultation is not open) and no late answer was allowed."""


class AnswerLockedError(ValidationError):
    """The answer has been submitted: it is read-only until a coordinator reopens it."""


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
def answer_submit(*, answer: Answer, user, now: datetime | None = None, authentication: dict | None = None) -> Answer:
    """Submit a draft answer: a position on every section is needed. The answer is then read-only.

    Submitting needs a verified mandate in force (``representation.ACTS["submit_answer"]``); the answer
    records it and ``authentication`` (``accounts.assurance.describe``; None outside a request).

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
    mandate = mandate_for(user, answer.organisation, "submit_answer", on=timezone.localdate(now))
    if mandate is None:
        raise ValidationError(mandate_needed_message("submit_answer", answer.organisation), code="no_mandate")
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
    answer.record_act(mandate=mandate, authentication=authentication)
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
        problems=texts(_reopen_problems(answer.consultation, answer, now)),
    )


@transaction.atomic
def answer_reopen(*, answer: Answer, by, now: datetime | None = None) -> Answer:
    """A coordinator reopens a submitted answer so the organisation can change it. Not once the
    compilation is published. After the deadline the reopened answer may be submitted late (without
    that it would be a draft nobody can submit, and the retention purge deletes drafts)."""
    now = now or timezone.now()
    consultation = _lock_consultation_of(answer)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    raise_problems(_reopen_problems(consultation, answer, now))
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
