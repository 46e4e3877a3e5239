"""Reads of consultations that span models or depend on who asks."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agreements.models import Signatory
from organisations.models import Organisation
from organisations.representation import organisations_of

from . import permissions
from .cache import pages
from .models import Answer, Consultation, Position, Section, SectionAnswer


def invited_organisations(*, consultation: Consultation) -> QuerySet[Organisation]:
    """The organisations that may answer (remissinstanser): always verified ones."""
    verified = Organisation.objects.verified()
    audience = consultation.audience
    if audience == Consultation.Audience.ALL_VERIFIED:
        return verified
    if audience == Consultation.Audience.SIGNATORIES:
        if not consultation.agreement_id:
            return verified.none()
        return verified.filter(
            signatures__agreement_id=consultation.agreement_id, signatures__status=Signatory.Status.VERIFIED
        ).distinct()
    return verified.filter(consultation_invitations=consultation)


def is_invited(*, consultation: Consultation, organisation: Organisation) -> bool:
    return invited_organisations(consultation=consultation).filter(pk=organisation.pk).exists()


def organisations_user_may_answer_for(*, consultation: Consultation, user) -> list[Organisation]:
    """The invited organisations the user represents."""
    return permissions.answering_organisations(user, invited_organisations(consultation=consultation))


def consultation_list_public() -> list[Consultation]:
    """Open and closed consultations with the number of submitted answers."""
    return list(
        Consultation.objects.public().annotate(
            submitted_count=Count("answers", filter=Q(answers__state=Answer.State.SUBMITTED))
        )
    )


def consultation_get_public(*, slug: str) -> Consultation:
    consultation = (
        Consultation.objects.exclude(status=Consultation.Status.DRAFT)
        .select_related("agreement", "action_plan")
        .filter(slug=slug)
        .first()
    )
    if consultation is None:
        raise Http404
    return consultation


def submitted_count(*, consultation: Consultation) -> int:
    return consultation.answers.filter(state=Answer.State.SUBMITTED).count()


def invitation_summary(*, consultation: Consultation) -> dict:
    """Who is invited, for the public page: names of organisations listed in the directory, a count of the rest."""
    invited = invited_organisations(consultation=consultation)
    listed = list(invited.filter(public_listing=True).order_by("name").values_list("name", "slug"))
    total = invited.count()
    return {"listed": listed, "total": total, "unlisted": max(total - len(listed), 0)}


def public_answers(*, consultation: Consultation) -> list[Answer]:
    """Every submitted answer with its positions, in organisation order (public only after the deadline)."""
    return list(
        consultation.answers.filter(state=Answer.State.SUBMITTED)
        .select_related("organisation")
        .prefetch_related(Prefetch("sections", queryset=SectionAnswer.objects.select_related("section")))
        .order_by("organisation__name")
    )


@dataclass
class SectionCompilation:
    section: Section
    counts: list[tuple[str, str, int]]  # (position, label, count)
    comments: list[tuple[str, str, str]] = field(default_factory=list)  # (organisation, position label, comment)
    response: str = ""

    @property
    def total(self) -> int:
        return sum(count for _p, _l, count in self.counts)


def compilation(*, consultation: Consultation) -> list[SectionCompilation]:
    """Per section: the count of each position among submitted answers, every comment, the region's response."""
    sections = list(consultation.sections.select_related("region_response").order_by("order", "id"))
    rows = (
        SectionAnswer.objects.filter(answer__consultation=consultation, answer__state=Answer.State.SUBMITTED)
        .select_related("answer__organisation")
        .order_by("answer__organisation__name")
    )
    counts: dict[int, Counter] = {s.pk: Counter() for s in sections}
    comments: dict[int, list] = {s.pk: [] for s in sections}
    labels = dict(Position.choices)
    for row in rows:
        if row.section_id not in counts:
            continue
        if row.position:
            counts[row.section_id][row.position] += 1
        if row.comment.strip():
            comments[row.section_id].append(
                (row.answer.organisation.name, labels.get(row.position, ""), row.comment.strip())
            )
    result = []
    for section in sections:
        response = getattr(section, "region_response", None)
        result.append(
            SectionCompilation(
                section=section,
                counts=[(value, label, counts[section.pk][value]) for value, label in Position.choices],
                comments=comments[section.pk],
                response=response.text if response else "",
            )
        )
    return result


def answer_for(*, consultation: Consultation, organisation: Organisation) -> Answer | None:
    return (
        Answer.objects.filter(consultation=consultation, organisation=organisation).prefetch_related("sections").first()
    )


# --- Sections of shared pages (core/registry.py) ----------------------------------------------------


def home_context(request) -> dict:
    """Open consultations for the home page; cached with the page version."""
    found = pages.cached(
        "home-section",
        build=lambda: [
            {"title": c.title, "title_en": c.title_en, "url": c.get_absolute_url(), "closes_at": c.closes_at}
            for c in Consultation.objects.filter(status=Consultation.Status.OPEN).order_by("closes_at")[:3]
        ],
    )
    return {"open_consultations": found}


def mypages_context(request) -> dict:
    """Consultations open to the organisations the user represents, with the state of each answer."""
    user = request.user
    if not user.is_authenticated:
        return {"consultation_rows": []}
    organisations = list(organisations_of(user).verified())
    if not organisations:
        return {"consultation_rows": []}
    answers = {
        (a.consultation_id, a.organisation_id): a
        for a in Answer.objects.filter(organisation__in=organisations).only(
            "consultation_id", "organisation_id", "state", "late_allowed"
        )
    }
    rows = []
    now = timezone.now()
    for consultation in Consultation.objects.filter(
        status__in=[Consultation.Status.OPEN, Consultation.Status.CLOSED, Consultation.Status.COMPILED]
    ).order_by("-closes_at")[:20]:
        invited = set(
            invited_organisations(consultation=consultation)
            .filter(pk__in=[o.pk for o in organisations])
            .values_list("pk", flat=True)
        )
        for organisation in organisations:
            if organisation.pk in invited:
                answer = answers.get((consultation.pk, organisation.pk))
                rows.append(
                    {
                        "consultation": consultation,
                        "organisation": organisation,
                        "answer": answer,
                        **_answer_state(consultation, answer, now),
                    }
                )
    return {"consultation_rows": rows}


def _answer_state(consultation: Consultation, answer: Answer | None, now) -> dict:
    """Where an organisation's answer stands, as Mina sidor says it: ``state`` is submitted, draft,
    not_started, or, once the deadline has passed without a submitted answer, closed_draft or
    closed_unanswered (a consultation of 2019 is closed, not "not started"); ``can_answer`` when the
    answer form still takes it (open and before the deadline, or a late answer allowed by a coordinator)."""
    if answer is not None and answer.is_submitted:
        return {"state": "submitted", "can_answer": False}
    if permissions.accepting_answers(consultation, now, answer=answer):
        return {"state": "draft" if answer else "not_started", "can_answer": True}
    return {"state": "closed_draft" if answer else "closed_unanswered", "can_answer": False}
