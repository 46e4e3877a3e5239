import pytest

from agreements import demo, selectors
from agreements.models import Signatory

pytestmark = pytest.mark.django_db


def test_demo_tells_the_vgr_story_and_can_run_twice(media_root):
    demo.load()
    agreement = demo.load()
    growth = {p.year: p.count for p in selectors.signatory_growth(agreement=agreement)}
    assert growth[2014] == 70
    assert growth[2019] == 107
    assert agreement.signatories.listed().count() == 107
    assert agreement.signatories.filter(status=Signatory.Status.PENDING).count() >= 3
    assert agreement.signatories.filter(status=Signatory.Status.WITHDRAWN).count() == 1
    assert agreement.working_group.filter(side="politician").count() == 5
    assert agreement.working_group.filter(side="civil_society").count() == 5
    assert agreement.working_group.get(role="ordförande").name == "Charlotte Nordström"
    plan = agreement.action_plans.get()
    assert (plan.period_start, plan.period_end, plan.decided_by) == (2019, 2022, "Regionstyrelsen")
    assert plan.actions.count() >= 5


def test_demo_documents_are_downloadable_pdfs(client, media_root):
    agreement = demo.load()
    plan = agreement.action_plans.get()
    for url in (
        f"/overenskommelser/{agreement.slug}/versioner/1/dokument/",
        f"/overenskommelser/{agreement.slug}/handlingsplaner/{plan.pk}/dokument/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
