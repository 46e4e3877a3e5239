"""Challenges in two regions: each host shows, serves, mails and administers only its own region's."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from challenges import services
from challenges.models import Challenge, ChallengeDocument, Participation
from core.regions import region_scope
from tests.factories import (
    ChallengeFactory,
    OrganisationFactory,
    ParticipationFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.samples import PDF

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"
CHANGELIST = reverse("admin:challenges_challenge_changelist")


@pytest.fixture
def halland(other_region):
    """Region Halland with a public challenge, an organisation taking part and a document."""
    with region_scope(other_region):
        organisation = OrganisationFactory(name="Hallands bygdegårdar", slug="hallands-bygdegardar")
        user = UserFactory(email="hugo@halland.example.se", full_name="Hugo Halland")
        RepresentativeFactory(user=user, organisation=organisation)
        challenge = ChallengeFactory(title="Ensamhet bland äldre i Halland", slug="ensamhet")
        participation = ParticipationFactory(challenge=challenge, organisation=organisation)
        document = ChallengeDocument(challenge=challenge, title="Hallands underlag")
        document.file.save("underlag.pdf", ContentFile(PDF), save=True)
    return challenge, participation, document


@pytest.fixture
def ours(db):
    return ChallengeFactory(title="Mötesplatser i Västernorrland", slug="motesplatser")


def test_each_host_lists_shows_and_serves_only_its_own_regions_challenges(client, media_root, ours, halland):
    theirs, participation, document = halland
    page = client.get(reverse("challenges:list")).content.decode()
    assert ours.title in page and theirs.title not in page
    page = client.get(reverse("challenges:list"), HTTP_HOST=B_HOST).content.decode()
    assert theirs.title in page and ours.title not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(ours.get_absolute_url(), HTTP_HOST=B_HOST).status_code == 404
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(document.get_absolute_url(), HTTP_HOST=B_HOST).status_code == 200
    titles = [item["title"] for item in client.get("/api/v1/challenges/").json()["results"]]
    assert titles == [ours.title]
    titles = [item["title"] for item in client.get("/api/v1/challenges/", HTTP_HOST=B_HOST).json()["results"]]
    assert titles == [theirs.title]
    assert client.get(f"/api/v1/challenges/{theirs.slug}/").status_code == 404


def test_a_document_is_stored_under_its_regions_key(media_root, halland, other_region):
    _theirs, _participation, document = halland
    assert document.file.name.startswith(f"regions/{other_region.key}/challenges/documents/")


def test_the_same_slug_in_two_regions_each_on_its_host_never_from_the_others_cache(client, other_region):
    ChallengeFactory(title="Vår utmaning", slug="samma")
    with region_scope(other_region):
        ChallengeFactory(title="Hallands utmaning", slug="samma")
    for _twice in range(2):  # the second round is served from the page cache
        page = client.get("/utmaningar/samma/").content.decode()
        assert "Vår utmaning" in page and "Hallands utmaning" not in page
        page = client.get("/utmaningar/samma/", HTTP_HOST=B_HOST).content.decode()
        assert "Hallands utmaning" in page and "Vår utmaning" not in page


def test_a_raised_challenge_gets_the_slug_free_in_its_region(other_region):
    ChallengeFactory(title="Unga och föreningslivet", slug="unga-och-foreningslivet")
    assert services.challenge_slug_unique("Unga och föreningslivet") == "unga-och-foreningslivet-2"
    with region_scope(other_region):
        assert services.challenge_slug_unique("Unga och föreningslivet") == "unga-och-foreningslivet"


def test_a_slug_taken_in_the_region_is_a_form_error_in_the_admin(coordinator_client, other_region, ours):
    with region_scope(other_region):
        ChallengeFactory(slug="hallands-egen")
    data = {
        "summary": "Sammanfattning",
        "description": "",
        "raised_by": "region",
        "published": "on",
        "outcome": "",
        **{
            f"{inline}-{count}": "0"
            for inline in ("participations", "updates", "documents")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    add = reverse("admin:challenges_challenge_add")
    response = coordinator_client.post(add, {**data, "title": "Dubblett", "slug": "motesplatser"})
    assert response.status_code == 200
    assert "används redan i regionen: välj ett annat." in response.content.decode()
    response = coordinator_client.post(add, {**data, "title": "Som i Halland", "slug": "hallands-egen"})
    assert response.status_code == 302
    assert Challenge.objects.filter(slug="hallands-egen").count() == 1


def test_the_contact_coordinator_is_one_of_the_regions_coordinators(coordinator_client, coordinator, other_region):
    theirs = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    other_region.coordinators.add(theirs)
    data = {
        "title": "Ny utmaning",
        "slug": "",
        "summary": "Sammanfattning",
        "raised_by": "region",
        "outcome": "",
        **{
            f"{inline}-{n}": "0"
            for inline in ("participations", "updates", "documents")
            for n in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    add = reverse("admin:challenges_challenge_add")
    response = coordinator_client.post(add, {**data, "contact_coordinator": theirs.pk})
    assert response.status_code == 200 and "contact_coordinator" in response.context["adminform"].form.errors
    response = coordinator_client.post(add, {**data, "contact_coordinator": coordinator.pk})
    assert response.status_code == 302
    assert Challenge.objects.get(title="Ny utmaning").contact_coordinator == coordinator


def test_an_admin_of_one_region_sees_and_touches_nothing_of_the_other(coordinator_client, ours, halland):
    theirs, participation, _document = halland
    page = coordinator_client.get(CHANGELIST).content.decode()
    assert ours.title in page and theirs.title not in page
    for url in (
        reverse("admin:challenges_challenge_change", args=[theirs.pk]),
        reverse("admin:challenges_challenge_history", args=[theirs.pk]),
        reverse("admin:challenges_challenge_delete", args=[theirs.pk]),
    ):
        assert coordinator_client.get(url).status_code == 404, url
    # An action (through its confirmation page) naming both regions' challenges acts on this region's only.
    Challenge.objects.filter(pk=ours.pk).update(status=Challenge.Status.IN_PROGRESS)
    with region_scope(theirs.region_id):
        Challenge.objects.filter(pk=theirs.pk).update(status=Challenge.Status.IN_PROGRESS)
    data = {"action": "conclude", "_selected_action": [ours.pk, theirs.pk], "text": "Klart."}
    page = coordinator_client.post(CHANGELIST, data).content.decode()
    assert ours.title in page and theirs.title not in page
    coordinator_client.post(CHANGELIST, {**data, "confirm": "yes"})
    assert Challenge.objects.get(pk=ours.pk).status == Challenge.Status.CONCLUDED
    with region_scope(theirs.region_id):
        assert Challenge.objects.get(pk=theirs.pk).status == Challenge.Status.IN_PROGRESS


def test_joining_or_leaving_the_other_regions_challenge_is_not_found(client, halland, other_region):
    theirs, participation, _document = halland
    user = UserFactory(email="vera@example.se")
    organisation = OrganisationFactory()
    RepresentativeFactory(user=user, organisation=organisation)
    client.force_login(user)
    response = client.post(
        reverse("challenges:join", args=[theirs.slug]), {"organisation": organisation.pk, "role": "takes_part"}
    )
    assert response.status_code == 404
    assert client.post(reverse("challenges:leave", args=[theirs.slug, participation.pk])).status_code == 404
    with region_scope(other_region):
        assert Participation.objects.filter(challenge=theirs).count() == 1


def test_an_update_mails_from_its_region_with_links_on_its_host_and_opt_outs_are_per_region(
    settings, run_on_commit, coordinator, halland, other_region
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    theirs, participation, _document = halland
    services.email_preference_set(user=_hugo(), updates=False)  # turned off here, in Västernorrland
    with region_scope(other_region):
        other_region.coordinators.add(coordinator)
        assert services.email_preference_get(user=_hugo()) is True
        with run_on_commit():
            services.update_post(challenge=theirs, by=coordinator, title="Nya träffar i Halmstad")
    (message,) = mail.outbox
    assert message.to == ["hugo@halland.example.se"]
    assert "Region Halland" in message.from_email and "no-reply@halland.example.se" in message.from_email
    assert "http://halland.testserver:8000/utmaningar/ensamhet/" in message.body
    assert "127.0.0.1" not in message.body


def _hugo():
    from accounts.models import User

    return User.objects.get(email="hugo@halland.example.se")


def test_the_demo_loads_into_the_first_region_when_none_is_in_force(media_root, region):
    from agreements import demo as agreements_demo
    from challenges import demo
    from core import demo as core_demo
    from core.regions import no_region
    from meetings import demo as meetings_demo
    from organisations import demo as organisations_demo

    for loader in (core_demo, organisations_demo, meetings_demo, agreements_demo):
        loader.load()
    with no_region():
        demo.load()
    assert Challenge.objects.count() >= 3
    assert {challenge.region_id for challenge in Challenge.objects.all()} == {region.pk}


def test_the_manage_link_is_for_the_coordinators_of_the_challenges_region(coordinator_client, ours, halland):
    theirs = halland[0]
    label = "Hantera utmaningen i administrationen"
    assert label in coordinator_client.get(ours.get_absolute_url()).content.decode()
    assert label not in coordinator_client.get(theirs.get_absolute_url(), HTTP_HOST=B_HOST).content.decode()
