import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import demo as agreements_demo
from challenges import demo as challenges_demo
from core import demo as core_demo
from core.regions import region_scope
from meetings import demo as meetings_demo
from organisations import demo as organisations_demo
from partnerships import demo
from partnerships.models import Application, Partnership
from tests.demo_regions import demo_regions

pytestmark = pytest.mark.django_db


def test_the_demo_call_has_an_application_in_every_state_and_the_iop_links_ukraine(client, media_root):
    region = demo_regions()["vasternorrland"]
    with region_scope(region):
        for loader in (core_demo, organisations_demo, meetings_demo, agreements_demo, challenges_demo, demo):
            loader.load()
        demo.load()  # twice: nothing more
        states = sorted(Application.objects.values_list("status", flat=True))
        assert states == ["assessed", "draft", "granted", "refused", "submitted"]
        partnership = Partnership.objects.get()
        assert partnership.challenges.get().slug == "flyktingsituationen-efter-kriget-i-ukraina"
        assert partnership.follow_ups.count() == 4
        # Each question its own answer, and a deadline at the end of a day (not the minute the demo was loaded).
        application = Application.objects.get(status="granted")
        assert len(set(application.answers.values())) == application.call.questions.count() == 2
        closes = timezone.localtime(application.call.closes_at)
        assert (closes.hour, closes.minute) == (23, 59)
        grants = client.get(reverse("grants:grants"), HTTP_HOST=region.hosts.first().host)
        assert "Röda Korsets" in grants.text
        challenge = client.get(
            reverse("challenges:detail", args=["flyktingsituationen-efter-kriget-i-ukraina"]),
            HTTP_HOST=region.hosts.first().host,
        )
        assert "IOP om flyktingmottagandet 2022" in challenge.text
