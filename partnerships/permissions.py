"""Who may apply, see and report: plain predicates for views, services and admin."""

from __future__ import annotations

from datetime import datetime

from organisations.representation import acts_for, may_act, organisations_of

from .models import Application, GrantCall

APPLY_ACT = "apply_for_grant"


def accepting_applications(call: GrantCall, now: datetime | None = None) -> bool:
    """THE rule for "does the form still take applications": published, opened, before the deadline."""
    return call.is_open(now)


def applying_organisations(user):
    """The organisations ``user`` represents (writing a draft needs the representation alone)."""
    return list(organisations_of(user).order_by("name"))


def may_submit(user, organisation) -> bool:
    """Submitting binds the organisation: a verified mandate in force (``ACTS["apply_for_grant"]``)."""
    return may_act(user, organisation, APPLY_ACT)


def owns_application(user, application: Application) -> bool:
    """The representatives of the applying organisation (its attachments, its report)."""
    return acts_for(user, application.organisation_id)
