"""Who may answer a consultation, and until when: plain predicates for views, services and selectors.

``accepting_answers`` is THE rule for "does the answer form still take this organisation's answer":
the service that saves and submits, the answer form, the consultation's page and Mina sidor all ask
it, so no page offers a form that the service then refuses (or hides one it would accept).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from organisations.models import Organisation
from organisations.representation import acts_for, may_act, organisations_of

from .models import Answer, Consultation


def accepting_answers(consultation: Consultation, now: datetime | None = None, *, answer: Answer | None = None) -> bool:
    """Open and before the deadline; after it, only the answer a coordinator allowed late, and only
    until the compilation is published (a draft or compiled consultation takes no answer at all).

    Whether the answer is already submitted is a separate question (``AnswerLockedError``)."""
    now = now or timezone.now()
    if consultation.status == Consultation.Status.OPEN and not consultation.deadline_passed(now):
        return True
    late_possible = consultation.status in (Consultation.Status.OPEN, Consultation.Status.CLOSED)
    return bool(late_possible and answer is not None and answer.late_allowed)


def answering_organisations(user, invited) -> list[Organisation]:
    """Among ``invited`` (the consultation's invited organisations), those ``user`` acts for, by name."""
    return list(invited.filter(pk__in=organisations_of(user)).order_by("name"))


def owns_answer(user, answer: Answer) -> bool:
    """The representatives of the organisation that wrote an answer (its attachment before it is public)."""
    return acts_for(user, answer.organisation_id)


def may_submit(user, organisation) -> bool:
    """Submitting the organisation's answer binds it: a verified mandate in force of a kind
    ``representation.ACTS["submit_answer"]`` names. Writing a draft needs the representation alone."""
    return may_act(user, organisation, "submit_answer")
