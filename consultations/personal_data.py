"""What ``consultations`` holds about a person: the answers they started or submitted for an
organisation (and, for a coordinator, the region's responses they wrote).

Erasure: an answer is the organisation's and stays; it forgets who started and submitted it and the
person's mandate it was submitted under, in its history too. How the submitter was authenticated
(method, level, when) stays: without the person it says nothing about anyone.
"""

from django.db.models import Q

from core.personal_data import linked_rows, unlink_history
from organisations.personal_data import unlink_mandated_acts

from .models import Answer, SectionResponse


def export(user) -> dict:
    return {
        "consultations.Answer": linked_rows(Answer, user),
        "consultations.SectionResponse": linked_rows(SectionResponse, user),
    }


def erase(user) -> dict:
    answers = Answer.objects.filter(Q(created_by=user) | Q(submitted_by=user))
    unlinked = 0
    for name in ("created_by", "submitted_by"):
        unlinked += answers.filter(**{name: user}).update(**{name: None})
    unlinked += unlink_mandated_acts(Answer, user)
    history = unlink_history(Answer, user) + unlink_history(SectionResponse, user)
    return {"answer_links": unlinked, "history_rows": history}
