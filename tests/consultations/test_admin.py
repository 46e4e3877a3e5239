"""The coordinators' admin: status actions through the services, the compilation view, filters and export."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from consultations.models import Answer, Consultation, SectionResponse
from tests.factories.consultations import AnswerFactory, ConsultationFactory, SectionAnswerFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(clock, client, coordinator):
    """A coordinator logged in at the tests' clock (a session from the wall clock would have expired)."""
    client.force_login(coordinator)
    return client


def test_open_action_opens_and_invites(staff, run_on_commit, clock, organisation, representative):
    draft = ConsultationFactory(invited=[organisation], closes_at=clock.now + dt.timedelta(days=10))
    SectionFactory(consultation=draft)
    data = {"action": "open_consultations", "_selected_action": [draft.pk]}
    page = staff.post(reverse("admin:consultations_consultation_changelist"), data).content.decode()
    assert "1 e-postmeddelande skickas" in page  # the confirmation first: nothing happened yet
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.DRAFT and mail.outbox == []
    with run_on_commit():
        response = staff.post(reverse("admin:consultations_consultation_changelist"), {**data, "confirm": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.OPEN
    assert [m.to for m in mail.outbox] == [["representant@example.se"]]


def test_open_action_explains_why_it_refuses(staff, clock, organisation):
    draft = ConsultationFactory(invited=[organisation])  # no sections
    response = staff.post(
        reverse("admin:consultations_consultation_changelist"),
        {"action": "open_consultations", "_selected_action": [draft.pk]},
    )
    page = response.content.decode()
    assert "Lägg till minst ett avsnitt" in page and 'name="confirm"' not in page
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.DRAFT


def test_compilation_view_counts_comments_saves_responses_and_publishes(
    staff, coordinator, run_on_commit, clock, consultation, organisation, other_organisation, representative
):
    first = consultation.sections.first()
    for org, position in ((organisation, "agree"), (other_organisation, "partly")):
        answer = AnswerFactory(consultation=consultation, organisation=org)
        SectionAnswerFactory(answer=answer, section=first, position=position, comment=f"Synpunkt från {org.name}")
    url = reverse("admin:consultations_consultation_compilation", args=[consultation.pk])
    page = staff.get(url).content.decode()
    assert "Synpunkt från Idrottsalliansen" in page
    assert "Sista svarsdag har inte passerat" in page
    assert "Spara och publicera" not in page

    clock.set(consultation.closes_at + dt.timedelta(days=1))
    staff.force_login(coordinator)  # log in again at the new time
    data = {"form": "compilation", f"response_{first.pk}": "Vi har ändrat syftet.", "compilation_summary": "Kort."}
    for section in consultation.sections.exclude(pk=first.pk):
        data[f"response_{section.pk}"] = ""
    response = staff.post(url, {**data, "publish": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "Publicera sammanställningen" in page  # saved, then asked
    assert SectionResponse.objects.get(section=first).text == "Vi har ändrat syftet."
    assert "1 e-postmeddelande skickas" in page  # the one representative of the invited organisations
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    assert mail.outbox == []
    with run_on_commit():
        response = staff.post(
            reverse("admin:consultations_consultation_changelist"),
            {"action": "publish_compilations", "_selected_action": [consultation.pk], "confirm": "yes"},
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.COMPILED
    assert consultation.compilation_summary == "Kort."
    assert SectionResponse.objects.get(section=first).text == "Vi har ändrat syftet."
    assert ["representant@example.se"] in [m.to for m in mail.outbox]


def test_late_answer_accepted_in_the_compilation_view(staff, clock, consultation, organisation):
    url = reverse("admin:consultations_consultation_compilation", args=[consultation.pk])
    response = staff.post(url, {"form": "late", "organisation": organisation.pk})
    assert response.status_code == 302
    assert Answer.objects.get(organisation=organisation).late_allowed


def test_reopen_action_and_position_filter(staff, clock, consultation, organisation, other_organisation):
    answer = AnswerFactory(consultation=consultation, organisation=organisation)
    SectionAnswerFactory(answer=answer, section=consultation.sections.first(), position="disagree")
    AnswerFactory(consultation=consultation, organisation=other_organisation)
    changelist = reverse("admin:consultations_answer_changelist")
    page = staff.get(changelist + "?position=disagree").content.decode()
    assert "Föreningen Gemenskap" in page and "Idrottsalliansen" not in page
    staff.post(changelist, {"action": "reopen_answers", "_selected_action": [answer.pk]})
    answer.refresh_from_db()
    assert answer.state == Answer.State.SUBMITTED  # asked first
    staff.post(changelist, {"action": "reopen_answers", "_selected_action": [answer.pk], "confirm": "yes"})
    answer.refresh_from_db()
    assert answer.state == Answer.State.DRAFT


def test_sections_are_fixed_once_the_consultation_is_open(staff, clock, consultation):
    page = staff.get(reverse("admin:consultations_consultation_change", args=[consultation.pk])).content.decode()
    assert 'name="sections-0-heading"' not in page


def test_answer_export_neutralises_formulas(staff, clock, consultation, organisation):
    AnswerFactory(consultation=consultation, organisation=organisation, general_comment="=1+1")
    fields = ["id", "consultation", "organisation", "organisation_number", "state", "general_comment"]
    response = staff.post(
        reverse("admin:consultations_answer_export"),
        {"format": "0", "resource": "0", **{f"answerresource_{name}": "on" for name in fields}},
    )
    assert response.status_code == 200
    assert "'=1+1" in response.content.decode("utf-8-sig")
