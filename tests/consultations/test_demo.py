"""The demo data loads twice without new rows and tells the seed's story."""

import pytest

from agreements import demo as agreements_demo
from consultations import demo
from consultations.models import Answer, Consultation, Reminder, SectionAnswer
from core import demo as core_demo
from core.regions import region_scope
from organisations import demo as organisations_demo
from tests.demo_regions import demo_regions

pytestmark = pytest.mark.django_db


def _load(run_on_commit):
    """Västernorrland's people (the demo representative), then Västra Götalandsregionen's agreement and
    consultations; returns the VGR region."""
    regions = demo_regions()
    core_demo.load()
    organisations_demo.load()
    vgr = regions["vgr"]
    with region_scope(vgr):
        core_demo.load()
        organisations_demo.load()
        agreements_demo.load()
        with run_on_commit():
            demo.load()
    return vgr


def test_demo_is_idempotent_and_has_a_compiled_and_an_open_consultation(media_root, run_on_commit):
    with region_scope(_load(run_on_commit)):
        _assert_idempotent_with_a_compiled_and_an_open_consultation()
    assert not Consultation.objects.exists()  # the first region (the test's) has none in the demo


def _assert_idempotent_with_a_compiled_and_an_open_consultation():
    counts = (Consultation.objects.count(), Answer.objects.count(), SectionAnswer.objects.count())
    demo.load()
    assert (Consultation.objects.count(), Answer.objects.count(), SectionAnswer.objects.count()) == counts
    compiled = Consultation.objects.get(slug=demo.PLAN_SLUG)
    assert compiled.status == Consultation.Status.COMPILED
    assert compiled.answers.filter(state="submitted").count() >= 5
    assert compiled.sections.filter(region_response__isnull=False).count() == compiled.sections.count()
    revision = Consultation.objects.get(slug=demo.REVISION_SLUG)
    assert revision.status == Consultation.Status.OPEN
    assert revision.answers.filter(state="submitted").count() == 1
    assert revision.answers.get(organisation__representative_links__user__email="representant@example.se").state == (
        "draft"
    )
    from consultations.services import reminders_plan

    assert reminders_plan() >= 1  # the 7-day reminders are due
    assert Reminder.objects.filter(consultation=revision).exists()


def test_demo_open_consultation_shows_whole_hours_and_its_deadline_is_ahead(media_root, run_on_commit):
    from django.utils import timezone

    with region_scope(_load(run_on_commit)):
        revision = Consultation.objects.get(slug=demo.REVISION_SLUG)
        submitted = revision.answers.get(state="submitted")
    now = timezone.now()
    assert revision.opens_at < submitted.submitted_at < now < revision.closes_at
    assert timezone.localtime(revision.opens_at).strftime("%M:%S") == "00:00"
    assert timezone.localtime(submitted.submitted_at).strftime("%M:%S") == "00:00"
    assert timezone.localtime(revision.closes_at).strftime("%H:%M") == "23:59"  # end of the deadline day
