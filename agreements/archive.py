"""An agreement as a case for the region's e-archive (``portal.archive_case``, built by ``earchive``):
its versions, its signatories with the history of each (who verified or withdrew what, when) and its action
plans with their actions; the documents of versions, plans and signatories' board decisions."""

from __future__ import annotations

from core.archive import ArchiveContribution, ArchiveDocument, ArchiveEvent

from .models import ActionPlan, Agreement, AgreementVersion, Signatory


def is_closed(agreement: Agreement) -> bool:
    """An agreement is a decided case once it is adopted: in force, expired or replaced (not a draft)."""
    return agreement.status != Agreement.Status.DRAFT


def _person(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "email", "")) if user else ""


def _agreement_row(agreement: Agreement) -> dict:
    return {
        "id": agreement.pk,
        "case_number": getattr(agreement, "case_number", ""),
        "title": agreement.title,
        "status": agreement.status,
        "adopted_on": agreement.adopted_on,
        "parties": agreement.party_list,
        "summary": agreement.summary,
        "text": agreement.text,
        "replaced_by": agreement.replaced_by.title if agreement.replaced_by else "",
        "created_at": agreement.created_at,
    }


def _version_rows(versions) -> list[dict]:
    return [
        {
            "number": v.number,
            "date": v.date,
            "case_number": getattr(v, "case_number", ""),
            "change_note": v.change_note,
            "document": f"documents/versions/{v.number}-{v.document.name.rsplit('/', 1)[-1]}" if v.document else "",
        }
        for v in versions
    ]


def _signatory_row(s: Signatory) -> dict:
    return {
        "id": s.pk,
        "organisation": s.organisation.name,
        "organisation_number": s.organisation.organisation_number,
        "signed_on": s.signed_on,
        "signed_by_name": s.signed_by_name,
        "signed_by_title": s.signed_by_title,
        "method": s.method,
        "status": s.status,
        "requested_at": s.requested_at,
        "verified_at": s.verified_at,
        "verified_by": _person(s.verified_by),
        "withdrawn_on": s.withdrawn_on,
        "withdrawal_reason": s.withdrawal_reason,
    }


def _history_rows(signatories) -> list[dict]:
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    rows = []
    for s in signatories:
        for h in s.history.select_related("history_user").order_by("history_date", "history_id"):
            rows.append(
                {
                    "signatory_id": s.pk,
                    "organisation": s.organisation.name,
                    "at": h.history_date,
                    "change": kinds.get(h.history_type, h.history_type),
                    "by": _person(h.history_user),
                    "status": h.status,
                    "signed_on": h.signed_on,
                    "signed_by_name": h.signed_by_name,
                    "reason": h.history_change_reason or "",
                }
            )
    return rows


def _plan_rows(plans) -> tuple[list[dict], list[dict]]:
    plan_rows, action_rows = [], []
    for plan in plans:
        plan_rows.append(
            {
                "id": plan.pk,
                "case_number": getattr(plan, "case_number", ""),
                "title": plan.title,
                "period": plan.period,
                "status": plan.status,
                "decided_by": plan.decided_by,
                "decided_on": plan.decided_on,
                "summary": plan.summary,
            }
        )
        for action in plan.actions.all():
            action_rows.append(
                {
                    "action_plan": plan.title,
                    "order": action.order,
                    "area": action.area,
                    "title": action.title,
                    "description": action.description,
                    "responsible": action.responsible,
                    "status": action.status,
                }
            )
    return plan_rows, action_rows


def _documents(versions, plans, signatories) -> list[ArchiveDocument]:
    documents = [
        ArchiveDocument(f"versions/{v.number}-{v.document.name.rsplit('/', 1)[-1]}", v.document)
        for v in versions
        if v.document
    ]
    documents += [
        ArchiveDocument(f"action-plans/{p.pk}-{p.document.name.rsplit('/', 1)[-1]}", p.document)
        for p in plans
        if p.document
    ]
    documents += [
        ArchiveDocument(f"board-decisions/{s.pk}-{s.board_decision.name.rsplit('/', 1)[-1]}", s.board_decision)
        for s in signatories
        if s.board_decision
    ]
    return documents


def _events(agreement, versions, plans, history) -> list[ArchiveEvent]:
    events = [ArchiveEvent("creation", agreement.created_at, f"Agreement “{agreement.title}” created")]
    if agreement.adopted_on:
        events.append(ArchiveEvent("decision", agreement.adopted_on, "Agreement adopted"))
    events += [ArchiveEvent("modification", v.date, f"Version {v.number}") for v in versions]
    events += [
        ArchiveEvent("decision", p.decided_on, f"Action plan “{p.title}” decided", p.decided_by)
        for p in plans
        if p.decided_on
    ]
    events += [
        ArchiveEvent(
            "signature", row["at"], f"{row['organisation']}: {row['change']}, status {row['status']}", row["by"]
        )
        for row in history
    ]
    return events


def contribute(agreement: Agreement) -> ArchiveContribution:
    versions = list(AgreementVersion.objects.filter(agreement=agreement).order_by("number"))
    signatories = list(
        Signatory.objects.filter(agreement=agreement)
        .select_related("organisation", "verified_by")
        .order_by("organisation__name")
    )
    plans = list(ActionPlan.objects.filter(agreement=agreement).prefetch_related("actions").order_by("period_start"))
    history = _history_rows(signatories)
    plan_rows, action_rows = _plan_rows(plans)
    return ArchiveContribution(
        kind="agreement",
        identifier=str(agreement.pk),
        title=agreement.title,
        description=agreement.summary,
        case_number=getattr(agreement, "case_number", ""),
        created=agreement.created_at,
        closed=agreement.adopted_on,
        records={
            "agreement": [_agreement_row(agreement)],
            "versions": _version_rows(versions),
            "signatories": [_signatory_row(s) for s in signatories],
            "signatory_history": history,
            "action_plans": plan_rows,
            "actions": action_rows,
        },
        documents=_documents(versions, plans, signatories),
        events=_events(agreement, versions, plans, history),
    )
