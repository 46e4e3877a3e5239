"""Retention in consultations: after the compilation (or a year after the deadline without one), drafts never
submitted are deleted and submitted answers forget who gave them by person; the public answers stay."""

import datetime as dt

import pytest

from consultations import services
from consultations.models import Answer, Consultation, SectionAnswer
from core.retention import personal_data_purge
from tests.factories.consultations import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disposal_decisions")]


def _positions(consultation):
    return {s.pk: ("agree", "Vi instämmer.") for s in consultation.sections.all()}


@pytest.fixture
def answered(
    media_root, consultation, organisation, representative, other_organisation, other_representative, pdf_upload
):
    """The consultation after its deadline: one submitted answer, one draft with an attachment never submitted."""
    during = NOW + dt.timedelta(days=1)
    answer = services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation),
        general_comment="Styrelsen ställer sig bakom utkastet.",
        now=during,
    )
    submitted = services.answer_submit(answer=answer, user=representative, now=during)
    draft = services.answer_save(
        consultation=consultation,
        organisation=other_organisation,
        user=other_representative,
        positions={consultation.sections.first().pk: ("disagree", "Utkast, inte klart.")},
        attachment=pdf_upload,
        now=during,
    )
    services.consultation_close(consultation=consultation, now=consultation.closes_at + dt.timedelta(minutes=5))
    return submitted, draft


def _purge(now):
    return personal_data_purge(now=now)["consultations"]


def test_compiled_consultation_keeps_its_answers_until_the_retention_period_has_passed(
    answered, consultation, settings, media_root
):
    settings.CONSULTATIONS_RETENTION_DAYS = 90
    published = services.compilation_publish(
        consultation=consultation, now=consultation.closes_at + dt.timedelta(days=10)
    )
    assert _purge(published.compiled_at + dt.timedelta(days=89)) == {
        "draft_answers_deleted": 0,
        "answers_anonymised": 0,
    }
    submitted, draft = answered
    assert Answer.objects.filter(pk=draft.pk).exists()
    submitted.refresh_from_db()
    assert submitted.submitted_by is not None and submitted.created_by is not None


def test_after_the_compilation_drafts_go_and_submitted_answers_forget_who_gave_them(
    answered, consultation, settings, media_root, django_capture_on_commit_callbacks, representative
):
    settings.CONSULTATIONS_RETENTION_DAYS = 90
    submitted, draft = answered
    storage = Answer._meta.get_field("attachment").storage
    attachment = draft.attachment.name
    assert storage.exists(attachment)
    published = services.compilation_publish(
        consultation=consultation, now=consultation.closes_at + dt.timedelta(days=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = _purge(published.compiled_at + dt.timedelta(days=91))

    assert result == {"draft_answers_deleted": 1, "answers_anonymised": 1}
    assert not Answer.objects.filter(pk=draft.pk).exists()
    assert not SectionAnswer.objects.filter(answer_id=draft.pk).exists()
    assert not Answer.history.filter(id=draft.pk).exists()
    assert not storage.exists(attachment)
    # The submitted answer is a public document: the organisation's positions and comment stay.
    submitted.refresh_from_db()
    assert submitted.is_submitted and submitted.general_comment == "Styrelsen ställer sig bakom utkastet."
    assert submitted.sections.filter(position="agree").count() == consultation.sections.count()
    assert submitted.created_by is None and submitted.submitted_by is None
    history = Answer.history.filter(id=submitted.pk)
    assert history.exists()
    assert not history.filter(history_user=representative).exists()
    assert not history.filter(created_by__isnull=False).exists()
    assert not history.filter(submitted_by__isnull=False).exists()


def test_a_coordinators_own_acts_stay_in_the_answers_history(answered, consultation, settings, coordinator):
    settings.CONSULTATIONS_RETENTION_DAYS = 90
    submitted, _draft = answered
    reopened = services.answer_reopen(answer=submitted, by=coordinator)
    services.answer_allow_late(consultation=consultation, organisation=reopened.organisation, by=coordinator)
    services.answer_submit(answer=reopened, user=reopened.created_by, now=consultation.closes_at + dt.timedelta(days=1))
    published = services.compilation_publish(
        consultation=consultation, now=consultation.closes_at + dt.timedelta(days=10)
    )

    _purge(published.compiled_at + dt.timedelta(days=91))

    history = Answer.history.filter(id=submitted.pk)
    assert history.filter(history_user=coordinator).count() == 2
    assert not history.filter(history_user__is_staff=False).exists()


def test_purging_twice_changes_nothing_more(answered, consultation, settings, media_root):
    settings.CONSULTATIONS_RETENTION_DAYS = 90
    published = services.compilation_publish(
        consultation=consultation, now=consultation.closes_at + dt.timedelta(days=10)
    )
    later = published.compiled_at + dt.timedelta(days=91)
    assert _purge(later) == {"draft_answers_deleted": 1, "answers_anonymised": 1}
    rows = list(Answer.objects.values())
    assert _purge(later + dt.timedelta(days=1)) == {"draft_answers_deleted": 0, "answers_anonymised": 0}
    assert list(Answer.objects.values()) == rows


def test_a_closed_consultation_without_compilation_keeps_drafts_for_late_answers_for_a_year(
    answered, consultation, settings, media_root
):
    settings.CONSULTATIONS_UNCOMPILED_RETENTION_DAYS = 365
    _submitted, draft = answered
    assert _purge(consultation.closes_at + dt.timedelta(days=364))["draft_answers_deleted"] == 0
    assert Answer.objects.filter(pk=draft.pk).exists()
    assert _purge(consultation.closes_at + dt.timedelta(days=366)) == {
        "draft_answers_deleted": 1,
        "answers_anonymised": 1,
    }


def test_an_open_consultation_is_never_purged(consultation, organisation, representative, settings):
    settings.CONSULTATIONS_RETENTION_DAYS = 90
    settings.CONSULTATIONS_UNCOMPILED_RETENTION_DAYS = 365
    draft = services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation),
        now=NOW,
    )
    consultation.closes_at = NOW + dt.timedelta(days=800)
    consultation.save()
    assert _purge(NOW + dt.timedelta(days=700)) == {"draft_answers_deleted": 0, "answers_anonymised": 0}
    assert Answer.objects.get(pk=draft.pk).created_by == representative
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.OPEN


def test_the_privacy_page_says_how_long_consultation_answers_are_linked_to_people(client):
    assert "90 dagar efter att remissammanställningen publicerats" in client.get("/personuppgifter/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "90 days after the compilation is published" in client.get("/personuppgifter/").content.decode()
