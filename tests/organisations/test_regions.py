"""Organisations in two regions: each region's registry (municipalities, areas, organisations, contacts,
representatives, interest submissions) is its own. Nothing of region B shows on region A's host (pages,
API, admin, exports), a URL or form naming B's object on A's host is a 404 or a form error, names,
slugs and numbers are unique per region, and retention runs in every region."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from core.regions import no_region, region_scope
from organisations import demo, retention, services
from organisations.models import AreaOfActivity, InterestSubmission, Municipality, Organisation
from organisations.representation import acts_for, organisations_of, recipients_for
from organisations.resources import OrganisationResource
from tests.factories import (
    AreaOfActivityFactory,
    ContactFactory,
    InterestSubmissionFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.organisations.test_views import interest_data

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"
DIRECTORY = reverse("organisations:directory")
INTEREST = reverse("organisations:interest")


@pytest.fixture
def two(other_region):
    """One public organisation in each region, with the same slug and number, and their own options."""
    own = OrganisationFactory(
        name="Röda Korset Sundsvall",
        slug="roda-korset",
        organisation_number="802002-4280",
        municipality=MunicipalityFactory(name="Sundsvall", county="Västernorrland"),
        areas=[AreaOfActivityFactory(name="Humanitärt arbete", slug="humanitart")],
    )
    own.area = own.areas.get()
    with region_scope(other_region):
        theirs = OrganisationFactory(
            name="Röda Korset Halmstad",
            slug="roda-korset",
            organisation_number="802002-4280",
            municipality=MunicipalityFactory(name="Halmstad", county="Halland"),
            areas=[AreaOfActivityFactory(name="Humanitärt arbete", slug="humanitart")],
        )
        theirs.area = theirs.areas.get()  # read in its region: the areas' manager is scoped
    return own, theirs


# Public pages ---------------------------------------------------------------------------------------


def test_each_hosts_directory_lists_only_its_regions_organisations(client, two):
    page_a = client.get(DIRECTORY).content.decode()
    page_b = client.get(DIRECTORY, HTTP_HOST=B_HOST).content.decode()
    assert "Röda Korset Sundsvall" in page_a and "Röda Korset Halmstad" not in page_a
    assert "Röda Korset Halmstad" in page_b and "Röda Korset Sundsvall" not in page_b
    # The filters offer the region's own municipalities.
    assert "Sundsvall</option>" in page_a and "Halmstad</option>" not in page_a
    assert "Halmstad</option>" in page_b and "Sundsvall</option>" not in page_b


def test_the_same_slug_on_two_hosts_is_each_regions_own_organisation(client, two):
    url = reverse("organisations:detail", kwargs={"slug": "roda-korset"})
    assert "Röda Korset Sundsvall" in client.get(url).content.decode()
    assert "Röda Korset Halmstad" in client.get(url, HTTP_HOST=B_HOST).content.decode()


def test_another_regions_organisation_is_not_found_on_this_host(client, other_region):
    with region_scope(other_region):
        only_b = OrganisationFactory(slug="bara-i-halland")
    assert client.get(only_b.get_absolute_url(), HTTP_HOST=B_HOST).status_code == 200
    assert client.get(only_b.get_absolute_url()).status_code == 404


def test_the_home_pages_count_is_the_regions(client, two, other_region):
    with region_scope(other_region):
        OrganisationFactory.create_batch(2)
    from organisations.selectors import organisation_public_count

    assert organisation_public_count() == 1
    with region_scope(other_region):
        assert organisation_public_count() == 3


# Forms --------------------------------------------------------------------------------------------


def test_the_interest_form_refuses_another_regions_municipality_and_area(client, two):
    own, theirs = two
    data = interest_data(organisation_number="", municipality=theirs.municipality_id)
    response = client.post(INTEREST, data)
    assert response.status_code == 400
    assert response.context["form"].has_error("municipality")
    response = client.post(INTEREST, interest_data(organisation_number="", areas=[theirs.area.pk]))
    assert response.status_code == 400
    assert response.context["form"].has_error("areas")
    assert not InterestSubmission.objects.exists()


def test_a_number_known_in_another_region_is_a_new_organisation_here(client, two, other_region, run_on_commit):
    own, theirs = two
    data = interest_data(organisation_name="Röda Korset Falkenberg", organisation_number="8020024280")
    with run_on_commit():
        assert client.post(INTEREST, data, HTTP_HOST=B_HOST).status_code == 302
    with region_scope(other_region):
        submission = InterestSubmission.objects.get()
        assert submission.organisation_id == theirs.pk  # B's registry knew the number
    assert not InterestSubmission.objects.exists()  # nothing of it in A
    with region_scope(other_region):
        Organisation.objects.filter(pk=theirs.pk).delete()
        services.interest_submit(
            organisation_name="Ny i Halland", organisation_number="802002-4280", contact_name="X",
            contact_email="x@example.se", message="Hej", consent=True,
        )  # fmt: skip
        created = Organisation.objects.get(organisation_number="802002-4280")
    assert created.pk != own.pk and created.region_id == other_region.pk
    assert Organisation.objects.get(organisation_number="802002-4280") == own


def test_the_interest_notification_goes_to_the_regions_coordinators_only(client, coordinator, other_region):
    from outbox.models import OutgoingEmail

    halland_coordinator = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    halland_coordinator.groups.add(*coordinator.groups.all())
    other_region.coordinators.add(halland_coordinator)
    assert client.post(INTEREST, interest_data()).status_code == 302
    notification = OutgoingEmail.objects.get(kind="organisations.interest_notification")
    assert coordinator.email in notification.to
    assert halland_coordinator.email not in notification.to


def test_a_representative_cannot_give_their_profile_another_regions_municipality(client, two):
    own, theirs = two
    user = UserFactory()
    RepresentativeFactory(organisation=own, user=user)
    client.force_login(user)
    url = reverse("organisations:edit", kwargs={"slug": own.slug})
    response = client.post(url, {"description": "Ny", "municipality": theirs.municipality_id, "public_listing": "on"})
    assert response.status_code == 400
    assert response.context["form"].has_error("municipality")
    own.refresh_from_db()
    assert own.municipality.name == "Sundsvall"


# Representation -----------------------------------------------------------------------------------


def test_a_person_representing_in_two_regions_acts_for_each_regions_own_only(client, two, other_region):
    own, theirs = two
    person = UserFactory(email="rut@example.se")
    RepresentativeFactory(organisation=own, user=person)
    with region_scope(other_region):
        RepresentativeFactory(organisation=theirs, user=person)
        assert list(organisations_of(person)) == [theirs]
        assert acts_for(person, theirs) and not acts_for(person, own)
    assert list(organisations_of(person)) == [own]
    assert acts_for(person, own) and not acts_for(person, theirs.pk)
    # Mina sidor on each host lists the host's region's organisation.
    client.force_login(person)
    page_a = client.get(reverse("accounts:mypages")).content.decode()
    page_b = client.get(reverse("accounts:mypages"), HTTP_HOST=B_HOST).content.decode()
    assert "Röda Korset Sundsvall" in page_a and "Röda Korset Halmstad" not in page_a
    assert "Röda Korset Halmstad" in page_b and "Röda Korset Sundsvall" not in page_b
    # The shared slug names each host's own organisation, which the person may edit on that host.
    edit = reverse("organisations:edit", kwargs={"slug": "roda-korset"})
    assert client.get(edit).status_code == 200
    assert client.get(edit, HTTP_HOST=B_HOST).status_code == 200


def test_mail_on_an_organisations_behalf_reaches_the_regions_people_only(two, other_region):
    own, theirs = two
    person = UserFactory(email="rut@example.se")
    RepresentativeFactory(organisation=own, user=person)
    ContactFactory(organisation=own, email="kontakt@sundsvall.example.se")
    with region_scope(other_region):
        ContactFactory(organisation=theirs, email="kontakt@halmstad.example.se")
        assert [a for a, _ in recipients_for([theirs], include_contacts=True)] == ["kontakt@halmstad.example.se"]
    assert [a for a, _ in recipients_for([own], include_contacts=True)] == [
        "rut@example.se",
        "kontakt@sundsvall.example.se",
    ]


# Uniqueness per region ------------------------------------------------------------------------------


def test_names_slugs_and_numbers_may_repeat_in_another_region(two, other_region):
    own, theirs = two
    assert own.slug == theirs.slug and own.organisation_number == theirs.organisation_number
    assert own.municipality.name != theirs.municipality.name
    assert own.area.name == theirs.area.name and own.area.slug == theirs.area.slug
    assert not own.areas.exclude(pk=own.area.pk).exists()
    with region_scope(other_region):
        assert Municipality.objects.create(name="Sundsvall").region_id == other_region.pk
    assert Municipality.objects.filter(name="Sundsvall").count() == 1
    assert AreaOfActivity.objects.count() == 1


def test_a_slug_or_number_twice_in_one_region_is_a_form_error(coordinator_client, two):
    own, _theirs = two
    response = coordinator_client.post(
        reverse("admin:organisations_organisation_add"),
        {
            "name": "Annan förening",
            "slug": own.slug,
            "organisation_number": "",
            "legal_form": "ideell_forening",
            "status": "submitted",
            "not_a_duplicate": "on",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 200
    assert "Det finns redan en organisation med det kortnamnet i adressen i regionen." in response.content.decode()
    response = coordinator_client.post(
        reverse("admin:organisations_organisation_add"),
        {
            "name": "Tredje förening",
            "slug": "tredje",
            "organisation_number": "8020024280",
            "legal_form": "ideell_forening",
            "status": "submitted",
            "not_a_duplicate": "on",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 200
    assert "En organisation med det organisationsnumret är redan registrerad i regionen." in response.content.decode()
    response = coordinator_client.post(reverse("admin:organisations_municipality_add"), {"name": "Sundsvall"})
    assert response.status_code == 200
    assert "Det finns redan en kommun med det namnet i regionen." in response.content.decode()
    response = coordinator_client.post(
        reverse("admin:organisations_areaofactivity_add"), {"name": "Humanitärt arbete", "slug": "annan"}
    )
    assert "Det finns redan ett verksamhetsområde med det namnet i regionen." in response.content.decode()
    assert Organisation.objects.count() == 1


def _empty_inlines():
    data = {}
    for prefix in ("contacts", "representative_links", "interest_submissions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


# The API --------------------------------------------------------------------------------------------


def test_the_api_lists_only_the_hosts_region(client, two):
    own, theirs = two
    for name, mine, other in (
        ("api:organisation-list", own.name, theirs.name),
        ("api:municipality-list", "Sundsvall", "Halmstad"),
    ):
        body_a = client.get(reverse(name)).content.decode()
        body_b = client.get(reverse(name), HTTP_HOST=B_HOST).content.decode()
        assert mine in body_a and other not in body_a
        assert other in body_b and mine not in body_b
    ids_a = [row["id"] for row in json.loads(client.get(reverse("api:area-list")).content)["results"]]
    assert ids_a == [own.area.pk]


def test_the_api_refuses_another_regions_objects(client, two):
    own, theirs = two
    assert client.get(reverse("api:municipality-detail", args=[theirs.municipality_id])).status_code == 404
    response = client.get(reverse("api:organisation-list"), {"municipality": theirs.municipality_id})
    assert response.status_code == 400
    body = json.loads(client.get(reverse("api:organisation-detail", args=["roda-korset"])).content)
    assert body["name"] == own.name


# The admin ------------------------------------------------------------------------------------------


def test_the_admin_changelists_show_nothing_of_another_region(coordinator_client, two, other_region):
    own, theirs = two
    with region_scope(other_region):
        InterestSubmissionFactory(organisation=theirs, message="Halländskt meddelande")
    for model, theirs_text in (
        ("organisation", "Röda Korset Halmstad"),
        ("municipality", "Halmstad"),
        ("contact", "Röda Korset Halmstad"),
        ("interestsubmission", "Röda Korset Halmstad"),
    ):
        page = coordinator_client.get(reverse(f"admin:organisations_{model}_changelist")).content.decode()
        assert theirs_text not in page, model
    # The filters offer only the region's own municipalities.
    page = coordinator_client.get(reverse("admin:organisations_organisation_changelist")).content.decode()
    assert f"municipality__id__exact={own.municipality_id}" in page
    assert f"municipality__id__exact={theirs.municipality_id}" not in page


def test_the_admins_autocomplete_offers_only_the_regions_organisations(coordinator_client, two):
    """The organisation search in an autocomplete field (a challenge's raising organisation, a consultation's
    invited organisations) looks in the host's region only."""
    for app, model, field in (
        ("challenges", "challenge", "raising_organisation"),
        ("consultations", "consultation", "invited_organisations"),
    ):
        response = coordinator_client.get(
            reverse("admin:autocomplete"),
            {"app_label": app, "model_name": model, "field_name": field, "term": "Röda Korset"},
        )
        assert response.status_code == 200
        assert [row["text"] for row in response.json()["results"]] == ["Röda Korset Sundsvall"], field


def test_an_admin_url_of_another_regions_object_is_a_404(coordinator_client, two, other_region):
    own, theirs = two
    with region_scope(other_region):
        submission = InterestSubmissionFactory(organisation=theirs)
    assert coordinator_client.get(reverse("admin:organisations_organisation_change", args=[own.pk])).status_code == 200
    for name, pk in (
        ("organisation", theirs.pk),
        ("municipality", theirs.municipality_id),
        ("areaofactivity", theirs.area.pk),
        ("interestsubmission", submission.pk),
        ("contact", submission.contact_id),
    ):
        for view in ("change", "delete", "history"):
            response = coordinator_client.get(reverse(f"admin:organisations_{name}_{view}", args=[pk]))
            assert response.status_code == 404, (name, view)


def test_an_admin_action_cannot_reach_another_regions_rows(coordinator_client, two, other_region):
    own, theirs = two
    with region_scope(other_region):
        Organisation.objects.filter(pk=theirs.pk).update(status=Organisation.Status.SUBMITTED)
    coordinator_client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "mark_inactive", "_selected_action": [own.pk, theirs.pk]},
    )
    with region_scope(other_region):
        assert Organisation.objects.get(pk=theirs.pk).status == Organisation.Status.SUBMITTED
    own.refresh_from_db()
    assert own.status == Organisation.Status.INACTIVE


def test_a_representative_of_another_regions_organisation_cannot_be_added(coordinator_client, two):
    own, theirs = two
    UserFactory(email="ny@example.se")
    response = coordinator_client.post(
        reverse("admin:organisations_representative_add"), {"organisation": theirs.pk, "user_email": "ny@example.se"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("organisation")


def test_the_spreadsheet_export_holds_the_regions_rows(two, other_region):
    own, theirs = two
    rows = OrganisationResource().export().dict
    assert [row["name"] for row in rows] == [own.name]
    with region_scope(other_region):
        assert [row["name"] for row in OrganisationResource().export().dict] == [theirs.name]


# Retention and the demo -----------------------------------------------------------------------------


def _stale(days_ago):
    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return organisation


def test_retention_purges_in_every_region_when_none_is_in_force(other_region, settings):
    settings.ORGANISATIONS_UNVERIFIED_RETENTION_DAYS = 365
    _stale(400)
    with region_scope(other_region):
        _stale(400)
        kept = _stale(10)
    assert retention.purge(now=timezone.now())["unverified_organisations_deleted"] == 1  # the region in force
    with region_scope(other_region):
        assert Organisation.objects.count() == 2
    _stale(400)
    with no_region():
        result = retention.purge(now=timezone.now())
    assert result["unverified_organisations_deleted"] == 2
    assert not Organisation.objects.exists()
    with region_scope(other_region):
        assert list(Organisation.objects.all()) == [kept]


def test_the_demo_loads_into_the_first_region_from_a_clean_context(region, other_region):
    with no_region():
        demo.load()
    assert Organisation.objects.filter(slug=demo.DEMO_REPRESENTATIVE_ORGANISATION).exists()
    assert Municipality.objects.filter(name="Sundsvall", county="Västernorrland").exists()
    with region_scope(other_region):
        assert not Organisation.objects.exists()
    with no_region():
        demo.load()  # idempotent
    assert Organisation.objects.count() == len(demo.ORGANISATIONS["vasternorrland"])  # the first region's story


def test_a_row_cannot_link_to_another_regions_row(two, other_region):
    from core.regions import RegionMismatch

    own, theirs = two
    with region_scope(other_region), pytest.raises(RegionMismatch):
        ContactFactory(organisation=own)
    with pytest.raises(RegionMismatch):
        services.representative_add(organisation=theirs, user=UserFactory())
    own.municipality_id = theirs.municipality_id
    with pytest.raises(RegionMismatch):
        own.save()
