"""Consultations in two regions: each host shows, exports, mails and administers only its own region's."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from consultations.admin import ConsultationAdmin
from consultations.models import Answer, Consultation, Reminder
from consultations.tasks import plan_reminders
from core.regions import no_region, region_scope
from tests.factories import OrganisationFactory, RepresentativeFactory, UserFactory
from tests.factories.consultations import NOW, AnswerFactory, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"


def _open(title, slug, organisation, **kwargs):
    consultation = ConsultationFactory(
        title=title,
        slug=slug,
        invited=[organisation],
        status=Consultation.Status.OPEN,
        opens_at=NOW - dt.timedelta(days=7),
        closes_at=NOW + dt.timedelta(days=14),
        **kwargs,
    )
    SectionFactory(consultation=consultation, heading=f"Avsnitt i {title}")
    return consultation


@pytest.fixture
def halland(other_region):
    """Region Halland with an open consultation of its own, answered by one of its organisations."""
    with region_scope(other_region):
        organisation = OrganisationFactory(name="Hallands idrottsförbund", slug="hallands-idrottsforbund")
        user = UserFactory(email="hanna@halland.example.se", full_name="Hanna Halland")
        RepresentativeFactory(user=user, organisation=organisation)
        consultation = _open("Remiss om Hallands kulturplan", "hallands-kulturplan", organisation)
        answer = AnswerFactory(consultation=consultation, organisation=organisation, general_comment="Halländskt svar")
    return consultation, answer


@pytest.fixture
def ours(organisation, representative):
    return _open("Remiss om handlingsplanen i Västernorrland", "handlingsplanen", organisation)


def test_each_host_lists_and_shows_only_its_own_regions_consultations(client, clock, ours, halland):
    theirs, _answer = halland
    page = client.get(reverse("consultations:list")).content.decode()
    assert ours.title in page and theirs.title not in page
    page = client.get(reverse("consultations:list"), HTTP_HOST=B_HOST).content.decode()
    assert theirs.title in page and ours.title not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(ours.get_absolute_url(), HTTP_HOST=B_HOST).status_code == 404
    assert client.get(theirs.get_absolute_url(), HTTP_HOST=B_HOST).status_code == 200


def test_exports_and_the_api_of_one_host_hold_nothing_of_the_other_region(client, clock, ours, halland):
    theirs, _answer = halland
    clock.set(NOW + dt.timedelta(days=15))  # past both deadlines: the answers are public
    for name in ("answers", "answers_csv", "answers_json"):
        assert client.get(reverse(f"consultations:{name}", args=[theirs.slug])).status_code == 404
        response = client.get(reverse(f"consultations:{name}", args=[theirs.slug]), HTTP_HOST=B_HOST)
        assert response.status_code == 200
        assert "Halländskt svar" in b"".join(getattr(response, "streaming_content", [response.content])).decode()
    titles = [item["title"] for item in client.get("/api/v1/consultations/").json()["results"]]
    assert titles == [ours.title]
    titles = [item["title"] for item in client.get("/api/v1/consultations/", HTTP_HOST=B_HOST).json()["results"]]
    assert titles == [theirs.title]
    assert client.get(f"/api/v1/consultations/{theirs.slug}/").status_code == 404


def test_the_same_slug_in_two_regions_each_on_its_host_and_twice_in_one_is_a_form_error(
    client, clock, organisation, other_region, rf, coordinator
):
    ours = _open("Vår remiss", "remissen", organisation)
    with region_scope(other_region):
        theirs = _open("Hallands remiss", "remissen", OrganisationFactory())
    assert "Vår remiss" in client.get("/remisser/remissen/").content.decode()
    assert "Hallands remiss" in client.get("/remisser/remissen/", HTTP_HOST=B_HOST).content.decode()
    assert ours.region_id != theirs.region_id

    request = rf.get("/admin/")
    request.user = coordinator
    from django.contrib import admin

    form_class = ConsultationAdmin(Consultation, admin.site).get_form(request)
    data = {"title": "Ännu en", "slug": "remissen", "background": "Text", "closes_at_0": "2030-04-01"}
    data |= {"closes_at_1": "12:00", "audience": "chosen", "status": "draft"}
    form = form_class(data=data)
    assert not form.is_valid()
    assert form.errors["slug"] == ["Kortnamn i adressen används redan i regionen: välj ett annat."]


def test_an_admin_of_one_region_sees_and_touches_nothing_of_the_other(clock, coordinator_client, ours, halland):
    theirs, answer = halland
    page = coordinator_client.get(reverse("admin:consultations_consultation_changelist")).content.decode()
    assert ours.title in page and theirs.title not in page
    page = coordinator_client.get(reverse("admin:consultations_answer_changelist")).content.decode()
    assert "Hallands idrottsförbund" not in page
    for url in (
        reverse("admin:consultations_consultation_change", args=[theirs.pk]),
        reverse("admin:consultations_consultation_history", args=[theirs.pk]),
        reverse("admin:consultations_consultation_compilation", args=[theirs.pk]),
        reverse("admin:consultations_answer_change", args=[answer.pk]),
        reverse("admin:consultations_answer_history", args=[answer.pk]),
    ):
        assert coordinator_client.get(url).status_code == 404, url
    # An action (and its confirmation page) naming the other region's consultation acts on nothing.
    data = {"action": "close_consultations", "_selected_action": [ours.pk, theirs.pk]}
    page = coordinator_client.post(reverse("admin:consultations_consultation_changelist"), data).content.decode()
    assert ours.title in page and theirs.title not in page  # the confirmation page names this region's only
    data = {"action": "reopen_answers", "_selected_action": [answer.pk], "confirm": "yes"}
    coordinator_client.post(reverse("admin:consultations_answer_changelist"), data)
    with region_scope(theirs.region_id):
        assert Consultation.objects.get(pk=theirs.pk).status == Consultation.Status.OPEN
        assert Answer.objects.get(pk=answer.pk).state == Answer.State.SUBMITTED


def test_the_reminder_task_runs_in_every_region_each_mail_from_and_linking_to_its_region(
    settings, run_on_commit, clock, ours, halland
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    theirs, answer = halland
    with region_scope(theirs.region_id):
        Answer.objects.filter(pk=answer.pk).delete()  # Halland's organisation has not answered: reminded too
    clock.set(NOW + dt.timedelta(days=13, hours=1))  # the day before both deadlines
    with run_on_commit(), no_region():
        result = plan_reminders()
    # Each region's consultation, within a week of its deadline, is also announced as closing soon (issue 25).
    assert result == {
        "vasternorrland": {"closed": 0, "reminded": 1, "closing_soon": 1},
        "halland": {"closed": 0, "reminded": 1, "closing_soon": 1},
    }
    by_recipient = {message.to[0]: message for message in mail.outbox}
    theirs_mail = by_recipient["hanna@halland.example.se"]
    assert "Region Halland" in theirs_mail.from_email and "halland.example.se" in theirs_mail.from_email
    assert "http://halland.testserver:8000/remisser/hallands-kulturplan/" in theirs_mail.body
    assert "127.0.0.1" not in theirs_mail.body
    ours_mail = by_recipient["representant@example.se"]
    assert "http://127.0.0.1:8000/remisser/handlingsplanen/" in ours_mail.body
    assert "halland" not in ours_mail.body.lower() and "Halland" not in ours_mail.from_email
    assert Reminder.objects.count() == 1
    with region_scope(theirs.region_id):
        assert Reminder.objects.get().consultation == theirs


def test_an_uploaded_draft_is_stored_under_its_regions_key(media_root, other_region, organisation):
    from django.core.files.base import ContentFile

    from tests.samples import PDF

    with region_scope(other_region):
        consultation = ConsultationFactory()
        consultation.document.save("utkast.pdf", ContentFile(PDF))
    assert consultation.document.name.startswith(f"regions/{other_region.key}/consultations/drafts/")


def test_the_demo_loads_into_the_first_region_when_none_is_in_force(media_root, region):
    from agreements import demo as agreements_demo
    from consultations import demo
    from core import demo as core_demo
    from organisations import demo as organisations_demo
    from tests.demo_regions import demo_regions

    for loader in (core_demo, organisations_demo, agreements_demo):
        loader.load()
    with no_region():
        demo.load()
    # The first region's story (Västernorrland's) has no consultation: they are Västra Götalandsregionen's.
    assert not Consultation.objects.exists()
    vgr = demo_regions()["vgr"]
    with region_scope(vgr):
        for loader in (core_demo, organisations_demo, agreements_demo, demo):
            loader.load()
        assert Consultation.objects.count() == 2
        assert set(Answer.objects.values_list("region_id", flat=True)) == {vgr.pk}
    assert not Answer.objects.exists()
