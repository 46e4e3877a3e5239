import pytest
import tablib
from django.urls import reverse

from organisations.models import InterestSubmission, Organisation, Representative
from organisations.resources import OrganisationResource
from tests.factories import (
    AreaOfActivityFactory,
    ContactFactory,
    InterestSubmissionFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:organisations_organisation_changelist")


def test_coordinator_sees_organisations_with_filters(coordinator_client, django_assert_max_num_queries):
    OrganisationFactory.create_batch(30, areas=[AreaOfActivityFactory()])
    with django_assert_max_num_queries(30):
        response = coordinator_client.get(CHANGELIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "status" in content
    assert "legal_form" in content


def test_search_finds_organisation_number_in_another_spelling(coordinator_client):
    OrganisationFactory(name="Hittad", organisation_number="802002-4280")
    OrganisationFactory(name="Annan")
    response = coordinator_client.get(CHANGELIST, {"q": "168020024280"})
    assert list(response.context["cl"].result_list.values_list("name", flat=True)) == ["Hittad"]


def test_verify_action_asks_first_then_verifies_and_records_the_coordinator(
    coordinator_client, coordinator, run_on_commit
):
    from django.core import mail

    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED)
    ContactFactory(organisation=organisation, email="kontakt@example.se", confirmed=True)
    ContactFactory(organisation=organisation, email="okand@example.se", confirmed=False)
    already = OrganisationFactory(name="Redan verifierad", status=Organisation.Status.VERIFIED)
    data = {"action": "verify", "_selected_action": [organisation.pk, already.pk]}
    with run_on_commit():
        page = coordinator_client.post(CHANGELIST, data)
    html = page.content.decode()
    assert "Totalt skickas 1 e-postmeddelande." in html
    assert "Organisationen är redan verifierad." in html
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.SUBMITTED
    assert mail.outbox == []
    with run_on_commit():
        response = coordinator_client.post(CHANGELIST, {**data, "confirm": "yes"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert f"{already}: Organisationen är redan verifierad." in messages
    assert [m.to for m in mail.outbox] == [["kontakt@example.se"]]
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.VERIFIED
    assert organisation.verified_by == coordinator


def test_submitted_organisation_appears_in_directory_after_verification(client, coordinator_client, run_on_commit):
    organisation = OrganisationFactory(name="Ny förening", status=Organisation.Status.SUBMITTED)
    assert "Ny förening" not in client.get(reverse("organisations:directory")).content.decode()
    with run_on_commit():  # the page cache moves on when the verification commits
        coordinator_client.post(
            CHANGELIST, {"action": "verify", "_selected_action": [organisation.pk], "confirm": "yes"}
        )
    assert "Ny förening" in client.get(reverse("organisations:directory")).content.decode()


def test_mark_inactive_action(coordinator_client):
    organisation = OrganisationFactory()
    coordinator_client.post(CHANGELIST, {"action": "mark_inactive", "_selected_action": [organisation.pk]})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.INACTIVE


def test_merge_action_asks_which_organisation_to_keep_before_merging(coordinator_client):
    a, b = OrganisationFactory(name="Röda Korset A"), OrganisationFactory(name="Röda Korset B")
    response = coordinator_client.post(CHANGELIST, {"action": "merge_duplicates", "_selected_action": [a.pk, b.pk]})
    assert response.status_code == 200
    assert 'name="keep"' in response.content.decode()
    assert Organisation.objects.count() == 2


def test_merge_action_confirmed_keeps_the_chosen_organisation(coordinator_client):
    keep, duplicate = OrganisationFactory(), OrganisationFactory()
    ContactFactory(organisation=duplicate)
    RepresentativeFactory(organisation=duplicate)
    response = coordinator_client.post(
        CHANGELIST,
        {"action": "merge_duplicates", "_selected_action": [keep.pk, duplicate.pk], "keep": keep.pk, "confirm": "yes"},
    )
    assert response.status_code == 302
    assert list(Organisation.objects.values_list("pk", flat=True)) == [keep.pk]
    assert keep.contacts.count() == 1
    assert Representative.objects.get().organisation == keep


def test_change_page_shows_contacts_representatives_and_submissions(coordinator_client):
    submission = InterestSubmissionFactory()
    response = coordinator_client.get(
        reverse("admin:organisations_organisation_change", args=[submission.organisation.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert submission.contact.email in content


def test_interest_submissions_are_filterable_by_wish(coordinator_client):
    InterestSubmissionFactory(wants_dialogue_meetings=False, wants_raise_challenge=True)
    InterestSubmissionFactory(wants_dialogue_meetings=True)
    response = coordinator_client.get(
        reverse("admin:organisations_interestsubmission_changelist"), {"wants_raise_challenge__exact": "1"}
    )
    assert response.context["cl"].result_count == 1


def test_mark_handled_action(coordinator_client):
    submission = InterestSubmissionFactory()
    coordinator_client.post(
        reverse("admin:organisations_interestsubmission_changelist"),
        {"action": "mark_handled", "_selected_action": [submission.pk]},
    )
    assert InterestSubmission.objects.get().handled is True


def test_admin_list_pages_of_the_small_models_load(coordinator_client):
    ContactFactory()
    RepresentativeFactory()
    MunicipalityFactory()
    AreaOfActivityFactory()
    for model in ("contact", "representative", "municipality", "areaofactivity"):
        assert coordinator_client.get(reverse(f"admin:organisations_{model}_changelist")).status_code == 200


# Import and export


def _export(fmt):
    dataset = OrganisationResource().export()
    return getattr(dataset, fmt)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_spreadsheet_imports_back_without_duplicates(fmt):
    area = AreaOfActivityFactory(name="Kultur")
    OrganisationFactory.create_batch(3, areas=[area])
    OrganisationFactory(name="Nätverket utan nummer", organisation_number="")
    exported = _export(fmt)
    dataset = tablib.Dataset().load(exported, format=fmt)
    result = OrganisationResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Organisation.objects.count() == 4


def test_import_matches_numbers_written_in_another_spelling_and_creates_new_ones():
    municipality = MunicipalityFactory(name="Sundsvall")
    OrganisationFactory(name="Gammalt namn", organisation_number="802002-4280")
    dataset = tablib.Dataset(headers=["organisation_number", "name", "municipality", "status"])
    dataset.append(["8020024280", "Nytt namn", "Sundsvall", "verified"])
    dataset.append(["556016 0680", "Helt ny förening", "sundsvall", "submitted"])
    result = OrganisationResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Organisation.objects.count() == 2
    assert Organisation.objects.get(organisation_number="802002-4280").name == "Nytt namn"
    new = Organisation.objects.get(organisation_number="556016-0680")
    assert new.municipality == municipality
    assert new.slug == "helt-ny-forening"


def test_import_reports_row_errors_and_imports_nothing():
    dataset = tablib.Dataset(headers=["organisation_number", "name", "municipality"])
    dataset.append(["556016-0680", "Bra rad", ""])
    dataset.append(["556016-0681", "Fel kontrollsiffra", ""])
    dataset.append(["802002-4280", "Okänd kommun", "Atlantis"])
    result = OrganisationResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    rows_with_errors = {row.number for row in result.invalid_rows} | {n for n, _ in result.row_errors()}
    assert rows_with_errors == {2, 3}
    assert Organisation.objects.count() == 0


def test_admin_export_view_offers_csv_and_xlsx(coordinator_client):
    response = coordinator_client.get(reverse("admin:organisations_organisation_export"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "csv" in content and "xlsx" in content


def test_admin_import_of_a_csv_file_reports_the_bad_row(coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = "organisation_number,name\n556016-0681,Fel kontrollsiffra\n"
    response = coordinator_client.post(
        reverse("admin:organisations_organisation_import"),
        {
            "resource": 0,
            "format": 0,
            "import_file": SimpleUploadedFile("org.csv", csv.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    assert "check digit" in response.content.decode() or "kontrollsiffra" in response.content.decode()
    assert Organisation.objects.count() == 0


def test_admin_export_then_import_of_the_same_file_creates_no_duplicates(coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    OrganisationFactory.create_batch(3, areas=[AreaOfActivityFactory(name="Kultur")])
    OrganisationFactory(name="Nätverk utan nummer", organisation_number="")
    fields = [
        "organisation_number",
        "name",
        "slug",
        "legal_form",
        "municipality",
        "areas",
        "website",
        "description",
        "public_listing",
        "status",
    ]
    exported = coordinator_client.post(
        reverse("admin:organisations_organisation_export"),
        {"format": 1, "resource": 0, **{f"organisationresource_{f}": "on" for f in fields}},
    )
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    preview = coordinator_client.post(
        reverse("admin:organisations_organisation_import"),
        {
            "resource": 0,
            "format": 1,
            "import_file": SimpleUploadedFile("organisationer.xlsx", exported.content),
        },
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None
    done = coordinator_client.post(reverse("admin:organisations_organisation_process_import"), confirm.initial)
    assert done.status_code == 302
    assert Organisation.objects.count() == 4


def test_admin_add_form_normalises_the_number_and_refuses_a_known_one_in_another_spelling(coordinator_client):
    OrganisationFactory(organisation_number="802002-4280")
    data = {
        "name": "Dubblett",
        "slug": "dubblett",
        "organisation_number": "8020024280",
        "legal_form": "ideell_forening",
        "status": "submitted",
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "representative_links-TOTAL_FORMS": 0,
        "representative_links-INITIAL_FORMS": 0,
        "interest_submissions-TOTAL_FORMS": 0,
        "interest_submissions-INITIAL_FORMS": 0,
    }
    response = coordinator_client.post(reverse("admin:organisations_organisation_add"), data)
    assert response.status_code == 200
    assert Organisation.objects.count() == 1
    data.update(organisation_number="5560160680", name="Ny", slug="ny")
    response = coordinator_client.post(reverse("admin:organisations_organisation_add"), data)
    assert response.status_code == 302
    assert Organisation.objects.get(slug="ny").organisation_number == "556016-0680"
