import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import Signatory
from organisations.models import Organisation
from tests.factories import ActionPlanFactory, OrganisationFactory, SignatoryFactory, WorkingGroupMemberFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:agreements_signatory_changelist"


def test_changelist_filters_by_status_method_and_year(coordinator_client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Papper 2014", signed_on=dt.date(2014, 5, 1))
    SignatoryFactory(
        agreement=agreement,
        organisation__name="Digital 2019",
        signed_on=dt.date(2019, 5, 1),
        method="online",
        status="pending",
    )
    url = reverse(CHANGELIST)
    content = coordinator_client.get(
        url, {"year": "2019", "status__exact": "pending", "method__exact": "online"}
    ).content.decode()
    assert "Digital 2019" in content
    assert "Papper 2014" not in content


def test_changelist_searches_organisation_number(coordinator_client, agreement):
    SignatoryFactory(
        agreement=agreement, organisation=OrganisationFactory(name="Sökbar", organisation_number="802002-4280")
    )
    SignatoryFactory(agreement=agreement, organisation__name="Annan")
    content = coordinator_client.get(reverse(CHANGELIST), {"q": "802002-4280"}).content.decode()
    assert "Sökbar" in content
    assert "Annan" not in content


def test_changelist_query_count_is_bounded(coordinator_client, agreement, django_assert_max_num_queries):
    SignatoryFactory.create_batch(40, agreement=agreement)
    with django_assert_max_num_queries(25):
        assert coordinator_client.get(reverse(CHANGELIST)).status_code == 200


def test_verify_action_asks_first_then_verifies_pending_and_keeps_others(
    coordinator_client, agreement, coordinator, run_on_commit
):
    from django.core import mail

    from tests.factories import RepresentativeFactory, UserFactory

    pending = SignatoryFactory(agreement=agreement, status="pending", verified_at=None)
    RepresentativeFactory(organisation=pending.organisation, user=UserFactory(email="a@example.se"))
    RepresentativeFactory(organisation=pending.organisation, user=UserFactory(email="b@example.se"))
    done = SignatoryFactory(agreement=agreement)
    data = {"action": "verify_selected", "_selected_action": [pending.pk, done.pk]}
    with run_on_commit():
        page = coordinator_client.post(reverse(CHANGELIST), data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Totalt skickas 2 e-postmeddelanden." in html
    # The verified one is listed with its reason and has nothing to confirm.
    assert "Bara en underskrift som väntar på verifiering kan verifieras." in html
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert mail.outbox == []
    with run_on_commit():
        response = coordinator_client.post(reverse(CHANGELIST), {**data, "confirm": "yes"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert f"{pending}: verifierad; företrädarna har fått besked." in messages
    assert f"{done}: Bara en underskrift som väntar på verifiering kan verifieras." in messages
    pending.refresh_from_db()
    assert pending.status == "verified"
    assert pending.verified_by == coordinator
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se"]


def test_withdraw_action_asks_for_reason_then_withdraws(coordinator_client, agreement, coordinator):
    signatory = SignatoryFactory(agreement=agreement)
    url = reverse(CHANGELIST)
    page = coordinator_client.post(url, {"action": "withdraw_selected", "_selected_action": [signatory.pk]})
    assert page.status_code == 200
    assert "Återkallad på organisationens begäran." in page.content.decode()
    signatory.refresh_from_db()
    assert signatory.status == "verified"
    response = coordinator_client.post(
        url,
        {
            "action": "withdraw_selected",
            "_selected_action": [signatory.pk],
            "apply": "1",
            "reason": "Föreningen har upplösts",
            "withdrawn_on": "2022-06-15",
        },
        follow=True,
    )
    assert "1 underskrift återkallad." in response.content.decode()
    signatory.refresh_from_db()
    assert signatory.status == "withdrawn"
    assert signatory.withdrawn_on == dt.date(2022, 6, 15)
    assert signatory.withdrawal_reason == "Föreningen har upplösts"
    assert signatory.withdrawn_by == coordinator


def test_history_page_shows_request_and_verification(
    coordinator_client, agreement, organisation, representative, coordinator
):
    signatory = services.signatory_request(
        agreement=agreement,
        organisation=organisation,
        user=representative,
        signed_by_name="Anna",
        signed_by_title="Ordförande",
        confirms_authority=True,
    )
    services.signatory_verify(signatory=signatory, by=coordinator)
    content = coordinator_client.get(
        reverse("admin:agreements_signatory_history", args=[signatory.pk])
    ).content.decode()
    assert representative.email in content or str(representative) in content
    assert coordinator.email in content or str(coordinator) in content


def test_import_links_by_number_creates_missing_and_reports_bad_rows(coordinator_client, agreement):
    existing = OrganisationFactory(name="Befintlig förening", organisation_number="802002-4280")
    csv_text = (
        "Organisation;Organisationsnummer;Datum\n"
        "Befintlig förening;8020024280;2014-04-10\n"
        "Ny förening;802570-0017;2015-02-01\n"
        "Felaktigt nummer;123;2015-02-01\n"
        "Utan datum;802570-0025;\n"
    )
    upload = SimpleUploadedFile("undertecknare.csv", csv_text.encode(), content_type="text/csv")
    response = coordinator_client.post(
        reverse("admin:agreements_signatory_import"), {"agreement": agreement.pk, "file": upload}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "2 undertecknare importerade" in content
    assert "1 ny organisation skapad" in content
    assert "Felaktigt nummer" in content and "Utan datum" in content
    assert Signatory.objects.filter(
        agreement=agreement, organisation=existing, method="imported", status="verified"
    ).exists()
    created = Organisation.objects.get(organisation_number="802570-0017")
    assert created.status == "verified"
    assert created.public_listing is False


def test_import_reports_organisation_already_on_the_list(agreement, coordinator):
    signatory = SignatoryFactory(agreement=agreement)
    report = services.signatory_import(
        agreement=agreement,
        rows=[(signatory.organisation.name, signatory.organisation.organisation_number, "2016-01-01")],
        by=coordinator,
    )
    assert report.created == 0
    assert len(report.errors) == 1


def test_import_reads_xlsx(coordinator_client, agreement):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Organisationsnummer", "Datum"])
    sheet.append(["Kalkylföreningen", "802570-0017", dt.date(2014, 4, 10)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("lista.xlsx", buffer.getvalue())
    coordinator_client.post(reverse("admin:agreements_signatory_import"), {"agreement": agreement.pk, "file": upload})
    assert Signatory.objects.get().signed_on == dt.date(2014, 4, 10)


def test_agreement_admin_has_inlines(coordinator_client, agreement):
    ActionPlanFactory(agreement=agreement, title="Handlingsplan 2019–2022")
    WorkingGroupMemberFactory(agreement=agreement, name="Charlotte Nordström")
    content = coordinator_client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk])).content.decode()
    assert "Handlingsplan 2019–2022" in content
    assert "Charlotte Nordström" in content


def test_every_agreements_admin_page_opens(coordinator_client, agreement):
    for model in ("agreement", "agreementversion", "signatory", "actionplan", "action", "workinggroupmember"):
        assert coordinator_client.get(reverse(f"admin:agreements_{model}_changelist")).status_code == 200
        assert coordinator_client.get(reverse(f"admin:agreements_{model}_add")).status_code == 200


def test_change_page_links_the_board_decision_for_coordinators(
    coordinator_client, agreement, organisation, representative, pdf_upload, media_root
):
    signatory = services.signatory_request(
        agreement=agreement,
        organisation=organisation,
        user=representative,
        signed_by_name="Anna",
        signed_by_title="Ordförande",
        confirms_authority=True,
        board_decision=pdf_upload,
    )
    content = coordinator_client.get(reverse("admin:agreements_signatory_change", args=[signatory.pk])).content.decode()
    assert reverse("agreements:board_decision", args=[signatory.pk]) in content


def test_status_is_changed_only_through_actions(coordinator_client, agreement):
    signatory = SignatoryFactory(agreement=agreement, status="pending", verified_at=None)
    content = coordinator_client.get(reverse("admin:agreements_signatory_change", args=[signatory.pk])).content.decode()
    assert 'name="status"' not in content


def test_paper_signature_added_as_verified_records_the_coordinator(coordinator_client, agreement, coordinator):
    organisation = OrganisationFactory()
    coordinator_client.post(
        reverse("admin:agreements_signatory_add"),
        {
            "agreement": agreement.pk,
            "organisation": organisation.pk,
            "signed_on": "2016-05-01",
            "method": "paper",
            "status": "verified",
            "public": "on",
            "signed_by_name": "",
            "signed_by_title": "",
            "withdrawal_reason": "",
        },
    )
    signatory = Signatory.objects.get(organisation=organisation)
    assert signatory.verified_by == coordinator


def test_paper_signature_added_as_verified_is_verified_through_the_service_and_tells_representatives(
    coordinator_client, agreement, coordinator, organisation, run_on_commit, mailoutbox
):
    with run_on_commit():
        coordinator_client.post(
            reverse("admin:agreements_signatory_add"),
            {
                "agreement": agreement.pk,
                "organisation": organisation.pk,
                "signed_on": "2016-05-01",
                "method": "paper",
                "status": "verified",
                "public": "on",
                "signed_by_name": "",
                "signed_by_title": "",
                "withdrawal_reason": "",
            },
        )
    signatory = Signatory.objects.get(organisation=organisation)
    assert signatory.status == Signatory.Status.VERIFIED
    assert signatory.verified_by == coordinator and signatory.verified_at is not None
    assert [m.to for m in mailoutbox] == [["representant@example.se"]]


def test_history_page_reads_as_swedish_not_stored_values(
    coordinator_client, agreement, organisation, representative, coordinator
):
    signatory = services.signatory_request(
        agreement=agreement,
        organisation=organisation,
        user=representative,
        signed_by_name="Anna",
        signed_by_title="Ordförande",
        confirms_authority=True,
    )
    services.signatory_verify(signatory=signatory, by=coordinator)
    html = coordinator_client.get(reverse("admin:agreements_signatory_history", args=[signatory.pk])).content.decode()
    table = html.split('id="change-history"', 1)[1]
    assert "Väntar" in table or "Inväntar" in table or "Verifierad" in table
    assert "pending" not in table and "verified →" not in table and "pk=None" not in table
    assert "Ändringar" in html and "Ändrad av" in html
