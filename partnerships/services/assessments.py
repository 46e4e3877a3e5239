"""Assessing an application against the call's criteria; an assessor with a declared conflict stays out."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SCORE_MAX, Application, Assessment, CriterionScore

logger = logging.getLogger(__name__)

# Completed assessments (by assessors without a conflict) that make an application "assessed".
ASSESSMENTS_NEEDED = 2
ASSESSABLE = (Application.Status.SUBMITTED, Application.Status.ASSESSED)


def _lock(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in ASSESSABLE:
        raise ValidationError(_("Only a submitted application can be assessed."), code="not_assessable")
    return application


@transaction.atomic
def assessment_declare_conflict(*, application: Application, assessor, note: str = "") -> Assessment:
    """The assessor declares a conflict of interest: any scores they gave are removed, and they can no
    longer assess this application (``assessment_save`` refuses)."""
    application = _lock(application)
    assessment, _created = Assessment.objects.get_or_create(application=application, assessor=assessor)
    assessment.scores.all().delete()
    assessment.conflict_of_interest = True
    assessment.conflict_note = note.strip()[:500]
    assessment.completed_at = None
    assessment._history_user = assessor
    assessment.save()
    _update_status(application)
    logger.info("partnerships: conflict declared on application %s", application.pk)
    return assessment


@transaction.atomic
def assessment_save(
    *,
    application: Application,
    assessor,
    scores: dict[int, tuple[int | None, str]],
    comment: str = "",
    complete: bool = False,
    now: datetime | None = None,
) -> Assessment:
    """Save the assessor's score (0–5) and comment per criterion; ``complete`` needs a score on every one.

    Refused for an assessor who declared a conflict of interest on the application. Once enough assessors
    (``ASSESSMENTS_NEEDED``) have completed theirs, the application is assessed.
    """
    now = now or timezone.now()
    application = _lock(application)
    assessment, _created = Assessment.objects.get_or_create(application=application, assessor=assessor)
    if assessment.conflict_of_interest:
        raise ValidationError(
            _("You have declared a conflict of interest on this application and cannot assess it."), code="conflict"
        )
    criteria = list(application.call.criteria.all())
    for criterion in criteria:
        score, text = scores.get(criterion.pk, (None, ""))
        if score is None:
            CriterionScore.objects.filter(assessment=assessment, criterion=criterion).delete()
            continue
        if not 0 <= score <= SCORE_MAX:
            raise ValidationError(_("A score is from 0 to %(max)s.") % {"max": SCORE_MAX}, code="score")
        CriterionScore.objects.update_or_create(
            assessment=assessment, criterion=criterion, defaults={"score": score, "comment": (text or "").strip()}
        )
    if complete:
        scored = set(assessment.scores.values_list("criterion_id", flat=True))
        missing = [c.name for c in criteria if c.pk not in scored]
        if missing:
            raise ValidationError(
                _("Score every criterion to complete the assessment. Missing: %(criteria)s.")
                % {"criteria": ", ".join(missing)},
                code="incomplete",
            )
    assessment.comment = comment.strip()
    assessment.completed_at = now if complete else None
    assessment._history_user = assessor
    assessment.save()
    _update_status(application)
    return assessment


def _update_status(application: Application) -> None:
    done = application.assessments.filter(conflict_of_interest=False, completed_at__isnull=False).count()
    status = Application.Status.ASSESSED if done >= ASSESSMENTS_NEEDED else Application.Status.SUBMITTED
    if application.status != status:
        application.status = status
        application.save(update_fields=["status", "updated_at"])
