"""A consultation as a case for the region's e-archive (``portal.archive_case``, built by ``earchive``):
the invitation (background, sections, who was invited, the deadline), every submitted answer with its
organisation, time and position per section, and the compilation (summary and the region's responses);
the documents: the consultation's own and the answers' attachments. Draft answers never reached the
region and are not part of the case."""

from __future__ import annotations

from core.archive import ArchiveContribution, ArchiveDocument, ArchiveEvent

from .models import Answer, Consultation, Section


def is_closed(consultation: Consultation) -> bool:
    return consultation.status in (Consultation.Status.CLOSED, Consultation.Status.COMPILED)


def _person(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "email", "")) if user else ""


def _invitation(consultation: Consultation, sections) -> dict:
    return {
        "id": consultation.pk,
        "case_number": getattr(consultation, "case_number", ""),
        "title": consultation.title,
        "background": consultation.background,
        "agreement": consultation.agreement.title if consultation.agreement_id else "",
        "action_plan": consultation.action_plan.title if consultation.action_plan_id else "",
        "audience": consultation.audience,
        "invited_organisations": [o.name for o in consultation.invited_organisations.order_by("name")],
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "closed_at": consultation.closed_at,
        "status": consultation.status,
        "sections": [{"order": s.order, "heading": s.heading, "text": s.text} for s in sections],
    }


def _answer_rows(answers) -> tuple[list[dict], list[dict]]:
    rows, section_rows = [], []
    for answer in answers:
        rows.append(
            {
                "id": answer.pk,
                "organisation": answer.organisation.name,
                "organisation_number": answer.organisation.organisation_number,
                "submitted_at": answer.submitted_at,
                "submitted_by": _person(answer.submitted_by),
                "late": answer.late,
                "general_comment": answer.general_comment,
                "attachment": _attachment_name(answer) if answer.attachment else "",
            }
        )
        for part in answer.sections.all():
            section_rows.append(
                {
                    "answer_id": answer.pk,
                    "organisation": answer.organisation.name,
                    "section": part.section.heading,
                    "position": part.position,
                    "comment": part.comment,
                }
            )
    return rows, section_rows


def _attachment_name(answer: Answer) -> str:
    return f"answers/{answer.pk}-{answer.attachment.name.rsplit('/', 1)[-1]}"


def _compilation(consultation: Consultation, sections) -> list[dict]:
    rows = [{"section": "", "response": consultation.compilation_summary, "published_at": consultation.compiled_at}]
    for section in sections:
        try:
            response = section.region_response
        except Section.region_response.RelatedObjectDoesNotExist:
            continue
        if response is not None:
            rows.append(
                {"section": section.heading, "response": response.text, "published_at": consultation.compiled_at}
            )
    return rows


def _events(consultation: Consultation, answers) -> list[ArchiveEvent]:
    events = [ArchiveEvent("creation", consultation.created_at, f"Consultation “{consultation.title}” created")]
    if consultation.opens_at:
        events.append(ArchiveEvent("publication", consultation.opens_at, "Invitation sent: open for answers"))
    events += [
        ArchiveEvent("submission", a.submitted_at, f"Answer from {a.organisation.name}", _person(a.submitted_by))
        for a in answers
    ]
    if consultation.closed_at:
        events.append(ArchiveEvent("closure", consultation.closed_at, "Closed for answers"))
    if consultation.compiled_at:
        events.append(ArchiveEvent("publication", consultation.compiled_at, "Compilation published"))
    return events


def contribute(consultation: Consultation) -> ArchiveContribution:
    sections = list(
        Section.objects.filter(consultation=consultation).select_related("region_response").order_by("order", "pk")
    )
    answers = list(
        Answer.objects.filter(consultation=consultation, state=Answer.State.SUBMITTED)
        .select_related("organisation", "submitted_by")
        .prefetch_related("sections__section")
        .order_by("submitted_at", "pk")
    )
    answer_rows, section_rows = _answer_rows(answers)
    documents = (
        [ArchiveDocument(f"consultation-{consultation.document.name.rsplit('/', 1)[-1]}", consultation.document)]
        if consultation.document
        else []
    )
    documents += [ArchiveDocument(_attachment_name(a), a.attachment) for a in answers if a.attachment]
    return ArchiveContribution(
        kind="consultation",
        identifier=str(consultation.pk),
        title=consultation.title,
        description=consultation.background,
        case_number=getattr(consultation, "case_number", ""),
        created=consultation.created_at,
        closed=consultation.compiled_at or consultation.closed_at or consultation.closes_at,
        records={
            "invitation": [_invitation(consultation, sections)],
            "answers": answer_rows,
            "answer_sections": section_rows,
            "compilation": _compilation(consultation, sections),
        },
        documents=documents,
        events=_events(consultation, answers),
    )
