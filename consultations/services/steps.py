"""A consultation's status steps (coordinators, in the admin; closing also by the beat task) and the
region's responses, with what their confirmation pages show.

Each status step checks its preconditions here, against the status and the deadline the pages show:
open needs a draft with sections, a deadline in the future and somebody invited; close needs an open
consultation whose deadline has passed (until then it is open on every page); the compilation needs
the deadline passed (the answers are public from then on). A ``*_preview`` computes, from the same
checks and recipient lists, what the admin's confirmation page shows (core/admin_confirm.py).
"""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_confirm import Preview

from .. import selectors
from ..cache import pages_changed
from ..models import Answer, Consultation, Section, SectionResponse
from .events import consultation_emit
from .problems import raise_problems, texts, when
from .recipients import mail_organisations, recipients_count

logger = logging.getLogger(__name__)


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


def consultation_open_preview(*, consultation: Consultation, now: datetime | None = None) -> Preview:
    now = now or timezone.now()
    invited = list(selectors.invited_organisations(consultation=consultation))
    count = recipients_count(invited)
    return Preview(
        obj=consultation,
        effects=[
            _("The consultation is published and open for answers until %(deadline)s.")
            % {"deadline": when(consultation.closes_at)},
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
        problems=texts(_open_problems(consultation, now)),
    )


@transaction.atomic
def consultation_open(*, consultation: Consultation, by=None, now: datetime | None = None) -> Consultation:
    """A coordinator opens a draft: every invited organisation's representatives and contacts are told."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    raise_problems(_open_problems(consultation, now))
    invited = list(selectors.invited_organisations(consultation=consultation))
    consultation.status = Consultation.Status.OPEN
    consultation.opens_at = now
    consultation._history_user = by
    consultation.save()
    pages_changed()
    queued = mail_organisations(
        invited, template="consultations/opened", kind="consultations.opened", context={"consultation": consultation}
    )
    consultation_emit("consultations.opened", consultation, addressed=True)
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
        problems=texts(_step_back_problems(consultation)),
    )


@transaction.atomic
def consultation_step_back(*, consultation: Consultation, by=None) -> Consultation:
    """Take an opening back while no organisation has started an answer: the consultation is a draft again.

    Nobody is mailed (the invitation already sent cannot be recalled); the step is in the history.
    """
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    raise_problems(_step_back_problems(consultation))
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
            % {"deadline": when(consultation.closes_at)},
            _("Only organisations you accept a late answer from can still answer."),
        ],
        recipients=0,
        problems=texts(_close_problems(consultation, now)),
    )


@transaction.atomic
def consultation_close(*, consultation: Consultation, by=None, now: datetime | None = None) -> Consultation:
    """Close an open consultation whose deadline has passed (the beat task does it; coordinators may too)."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    raise_problems(_close_problems(consultation, now))
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
        problems=texts(_compile_problems(consultation, now)),
    )


@transaction.atomic
def compilation_publish(
    *, consultation: Consultation, by=None, summary: str | None = None, now: datetime | None = None
) -> Consultation:
    """Publish the compilation (remissammanställning) after the deadline; invited organisations are told."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    raise_problems(_compile_problems(consultation, now))
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
    mail_organisations(
        invited,
        template="consultations/compiled",
        kind="consultations.compiled",
        context={"consultation": consultation},
    )
    consultation_emit("consultations.compiled", consultation, addressed=True)
    logger.info("consultations: compilation of %s published", consultation.pk)
    return consultation
