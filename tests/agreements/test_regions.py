"""Agreements in several regions: region B's agreements, signatories and documents never appear on region
A's host (pages, downloads, API, admin), a URL or id naming B's object on A's host is a 404, slugs are
unique per region, and e-mails link on the region's own host."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, Signatory
from core.regions import region_scope
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"


@pytest.fixture
def two_regions(region, other_region):
    """The same slug in both regions, each with its own signatory and action plan."""
    ours = AgreementFactory(title="Västernorrlands överenskommelse", slug="overenskommelsen")
    SignatoryFactory(agreement=ours, organisation=OrganisationFactory(name="Förening Norr"))
    with region_scope(other_region):
        theirs = AgreementFactory(title="Hallands överenskommelse", slug="overenskommelsen")
        only_theirs = AgreementFactory(title="Hallands andra överenskommelse", slug="bara-halland")
        signatory = SignatoryFactory(agreement=theirs, organisation=OrganisationFactory(name="Förening Syd"))
    return ours, theirs, only_theirs, signatory


PUBLIC_PAGES = [
    "agreements:detail",
    "agreements:signatories",
    "agreements:signatories_csv",
    "agreements:signatories_excel_csv",
    "agreements:signatories_json",
    "agreements:growth_csv",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_each_host_shows_its_own_agreement_under_the_same_slug(client, two_regions, name):
    url = reverse(name, kwargs={"slug": "overenskommelsen"})
    ours = client.get(url)
    theirs = client.get(url, HTTP_HOST=B_HOST)
    assert ours.status_code == theirs.status_code == 200
    ours, theirs = b"".join(ours).decode("utf-8-sig"), b"".join(theirs).decode("utf-8-sig")
    assert "Halland" not in ours and "Syd" not in ours
    assert "Västernorrland" not in theirs and "Norr" not in theirs


def test_the_list_and_the_home_page_show_only_the_hosts_agreements(client, two_regions):
    ours = client.get(reverse("agreements:list")).content.decode()
    theirs = client.get(reverse("agreements:list"), HTTP_HOST=B_HOST).content.decode()
    assert "Västernorrlands överenskommelse" in ours and "Hallands" not in ours
    assert "Hallands andra överenskommelse" in theirs and "Västernorrlands" not in theirs


@pytest.mark.parametrize("name", [*PUBLIC_PAGES, "agreements:signatories_xlsx", "agreements:sign"])
def test_a_url_naming_another_regions_agreement_is_a_404(client, two_regions, name):
    client.force_login(UserFactory())
    assert client.get(reverse(name, kwargs={"slug": "bara-halland"})).status_code == 404


def test_another_regions_document_and_board_decision_are_404(coordinator_client, two_regions, other_region):
    _ours, theirs, _only, signatory = two_regions
    with region_scope(other_region):
        plan = theirs.action_plans.create(title="Plan", period_start=2019, period_end=2022)
    url = reverse("agreements:action_plan_document", kwargs={"slug": theirs.slug, "pk": plan.pk})
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.get(reverse("agreements:board_decision", args=[signatory.pk])).status_code == 404


def test_the_api_lists_only_the_hosts_agreements_and_signatories(client, two_regions):
    ours = client.get("/api/v1/agreements/").json()
    theirs = client.get("/api/v1/agreements/", HTTP_HOST=B_HOST).json()
    assert [a["title"] for a in ours["results"]] == ["Västernorrlands överenskommelse"]
    assert sorted(a["title"] for a in theirs["results"]) == [
        "Hallands andra överenskommelse",
        "Hallands överenskommelse",
    ]
    signatories = client.get("/api/v1/agreements/overenskommelsen/signatories/").json()
    assert [s["organisation"] for s in signatories["results"]] == ["Förening Norr"]
    assert client.get("/api/v1/agreements/bara-halland/").status_code == 404
    assert client.get("/api/v1/agreements/bara-halland/signatories/").status_code == 404
    assert client.get("/api/v1/agreements/bara-halland/growth/").status_code == 404
    # A signatory id of region B under A's agreement is no signatory of A.
    signatory_b = two_regions[3]
    assert client.get(f"/api/v1/agreements/overenskommelsen/signatories/{signatory_b.pk}/").status_code == 404


def test_admin_changelists_show_nothing_of_another_region(coordinator_client, two_regions):
    for model in ("agreement", "signatory"):
        content = coordinator_client.get(reverse(f"admin:agreements_{model}_changelist")).content.decode()
        assert "Förening Syd" not in content and "Hallands" not in content


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_an_admin_id_of_another_region_is_a_404(coordinator_client, two_regions, view):
    _ours, theirs, _only, signatory = two_regions
    assert coordinator_client.get(reverse(f"admin:agreements_agreement_{view}", args=[theirs.pk])).status_code == 404
    response = coordinator_client.get(reverse(f"admin:agreements_signatory_{view}", args=[signatory.pk]))
    assert response.status_code == 404


def test_an_admin_history_version_of_another_region_is_a_404(coordinator_client, two_regions):
    signatory = two_regions[3]
    version = Signatory.history.model.objects.filter(id=signatory.pk).latest("history_date")
    url = reverse("admin:agreements_signatory_simple_history", args=[signatory.pk, version.history_id])
    assert coordinator_client.get(url).status_code == 404


def test_an_admin_action_acts_only_on_the_hosts_rows(coordinator_client, two_regions, other_region):
    signatory_b = two_regions[3]
    with region_scope(other_region):
        Signatory.objects.filter(pk=signatory_b.pk).update(status=Signatory.Status.PENDING)
    coordinator_client.post(
        reverse("admin:agreements_signatory_changelist"),
        {"action": "verify_selected", "_selected_action": [signatory_b.pk], "confirm": "yes"},
    )
    with region_scope(other_region):
        assert Signatory.objects.get(pk=signatory_b.pk).status == Signatory.Status.PENDING


def test_the_import_form_refuses_another_regions_agreement(coordinator_client, two_regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lista.csv", b"Namn,Nummer,Datum\nNy,802002-4280,2020-01-01\n")
    response = coordinator_client.post(
        reverse("admin:agreements_signatory_import"), {"agreement": two_regions[2].pk, "file": upload}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agreement"]


def _add_agreement(client, slug, **extra):
    data = {
        "title": "Ny",
        "slug": slug,
        "parties": "Regionen",
        "summary": "S",
        "status": "draft",
        **{f"{p}-{k}": v for p in ("versions", "action_plans", "working_group") for k, v in _empty(p).items()},
        **extra,
    }
    return client.post(reverse("admin:agreements_agreement_add"), data, **extra.pop("headers", {}))


def _empty(prefix):
    return {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def test_a_slug_is_unique_per_region_with_a_form_error_not_a_500(coordinator_client, two_regions):
    response = _add_agreement(coordinator_client, "overenskommelsen")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Agreement.objects.filter(slug="overenskommelsen").count() == 1
    # "bara-halland" is Halland's: free in this region.
    assert _add_agreement(coordinator_client, "bara-halland").status_code == 302
    assert Agreement.objects.get(slug="bara-halland").title == "Ny"


def test_emails_link_on_the_regions_own_host(other_region, run_on_commit, mailoutbox):
    with region_scope(other_region):
        agreement = AgreementFactory(slug="halland")
        representative = UserFactory(email="rep@halland.example.se")
        organisation = OrganisationFactory(name="Förening Syd")
        RepresentativeFactory(user=representative, organisation=organisation)
        signatory = SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.PENDING)
        with run_on_commit():
            services.signatory_verify(signatory=signatory, by=UserFactory())
    assert mailoutbox
    body = mailoutbox[-1].body
    assert f"{B_HOST}" in body and "/overenskommelser/halland/undertecknare/" in body
    assert "127.0.0.1" not in body


@contextmanager
def _a_new_empty_default_database():
    """The default connection pointed at a new, empty database for the test's body (dropped after), so that a
    migration can run from its start without unapplying and re-applying every app of the test database."""
    original = connections[DEFAULT_DB_ALIAS]
    name = f"{original.settings_dict['NAME']}_migrations"
    with original._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    scratch = original.__class__({**original.settings_dict, "NAME": name}, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = scratch
    try:
        yield scratch
    finally:
        scratch.close()
        connections[DEFAULT_DB_ALIAS] = original
        with original._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


# On PostgreSQL only, the database production runs: in a database of its own, the test migrates what
# agreements' migration 0003 depends on (22 migrations) up to the migration before it, stores an agreement the
# old way, then applies 0003, as an installation that had agreements before regions did.
@pytest.mark.postgres
def test_the_migration_moves_existing_rows_into_the_first_region():
    before, regions = ("agreements", "0002_document_validators_private_storage"), ("agreements", "0003_regions")
    with _a_new_empty_default_database() as database:
        executor = MigrationExecutor(database)
        executor.migrate([before])
        old = executor.loader.project_state(before).apps.get_model("agreements", "Agreement")
        agreement = old.objects.create(title="Gammal", slug="gammal", parties="A", summary="S")
        executor = MigrationExecutor(database)
        executor.migrate([regions])
        with database.cursor() as cursor:
            cursor.execute("SELECT min(id) FROM core_region")
            (first,) = cursor.fetchone()
            cursor.execute("SELECT region_id FROM agreements_agreement WHERE id = %s", [agreement.pk])
            assert cursor.fetchone() == (first,)
            assert first is not None


def test_a_signed_on_date_is_kept_per_region():
    # The region is part of every new row: a signatory made in the test region belongs to it.
    signatory = SignatoryFactory(signed_on=dt.date(2020, 1, 1))
    assert signatory.region.short_name == "vasternorrland"


def test_a_persons_signature_requests_are_exported_on_their_regions_host_and_forgotten_in_every_region(
    two_regions, other_region
):
    from agreements import personal_data

    user = UserFactory(email="person@example.se")
    signatory_b = two_regions[3]
    with region_scope(other_region):
        Signatory.objects.filter(pk=signatory_b.pk).update(requested_by=user)
        assert len(personal_data.export(user)["agreements.Signatory"]) == 1
    assert personal_data.export(user)["agreements.Signatory"] == []  # the other region's host
    assert personal_data.erase(user)["signatures_unlinked"] == 1
    with region_scope(other_region):
        assert Signatory.objects.get(pk=signatory_b.pk).requested_by is None


def test_a_mandate_is_its_regions_only(client, region, other_region):
    """A mandate of an organisation in one region lets its holder sign there, never on another region's
    host, where the same person represents an organisation without a mandate (issue 23)."""
    from django.core.exceptions import ValidationError

    from organisations.representation import mandate_for, may_act
    from tests.factories import MandatedRepresentativeFactory

    user = UserFactory(email="tva.regioner@example.se")
    ours = OrganisationFactory(name="Förening Norr")
    MandatedRepresentativeFactory(user=user, organisation=ours)
    assert may_act(user, ours, "sign_agreement")
    with region_scope(other_region):
        agreement = AgreementFactory(title="Hallands överenskommelse", slug="overenskommelsen")
        theirs = OrganisationFactory(name="Förening Syd")
        RepresentativeFactory(user=user, organisation=theirs)
        assert mandate_for(user, ours.pk, "sign_agreement") is None  # not even seen from there
        assert not may_act(user, theirs, "sign_agreement")
        with pytest.raises(ValidationError):
            services.signatory_request(
                agreement=agreement,
                organisation=theirs,
                user=user,
                signed_by_name="Tova Två",
                signed_by_title="Ordförande",
                confirms_authority=True,
            )
    client.force_login(user)
    response = client.get(reverse("agreements:sign", args=["overenskommelsen"]), HTTP_HOST=B_HOST)
    assert response.status_code == 403
    content = response.content.decode()
    assert "Du behöver ett mandat" in content and "Förening Syd" in content and "Förening Norr" not in content
    with region_scope(other_region):
        assert not Signatory.objects.exists()
