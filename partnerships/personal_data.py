"""What ``partnerships`` holds about a person: the applications they started or submitted for an
organisation, the assessments they made as a coordinator, the decisions they announced and the reports
they submitted or reviewed.

Erasure: applications, decisions and reports are the organisation's and the region's records and stay;
they forget the person (and the mandate an application was submitted under), in their history too.
An assessment forgets its assessor.
"""

from core.personal_data import linked_rows, unlink_history
from organisations.personal_data import unlink_mandated_acts

from .models import Application, Assessment, Decision, FollowUpReport

LINKS = {
    Application: ("created_by", "submitted_by"),
    Assessment: ("assessor",),
    Decision: ("decided_by",),
    FollowUpReport: ("submitted_by", "reviewed_by"),
}


def export(user) -> dict:
    return {f"partnerships.{model.__name__}": linked_rows(model, user) for model in LINKS}


def erase(user) -> dict:
    unlinked = 0
    for model, fields in LINKS.items():
        for name in fields:
            unlinked += model.objects.filter(**{name: user}).update(**{name: None})
    unlinked += unlink_mandated_acts(Application, user)
    history = sum(unlink_history(model, user) for model in LINKS)
    return {"links": unlinked, "history_rows": history}
