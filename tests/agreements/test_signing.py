import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, Signatory
from tests.factories import OrganisationFactory, RepresentativeFactory, SignatoryFactory, UserFactory

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _form(organisation, **extra):
    data = {
        "organisation": organisation.pk,
        "signed_by_name": "Anna Ordförande",
        "signed_by_title": "Ordförande",
        "confirms_authority": "on",
        "public": "on",
    }
    data.update(extra)
    return data


def test_anonymous_visitor_is_sent_to_login(client, agreement):
    response = client.get(reverse("agreements:sign", args=[agreement.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_user_without_verified_organisation_is_told_how_to_get_one(client, agreement):
    user = UserFactory()
    RepresentativeFactory(user=user, organisation=OrganisationFactory(status="submitted"))
    client.force_login(user)
    response = client.get(reverse("agreements:sign", args=[agreement.slug]))
    assert response.status_code == 403
    assert "verifierad" in response.content.decode()


def test_authority_checkbox_is_not_pre_ticked(client, agreement, representative):
    client.force_login(representative)
    content = client.get(reverse("agreements:sign", args=[agreement.slug])).content.decode()
    checkbox = (
        content.split('name="confirms_authority"', 1)[0].rsplit("<input", 1)[1]
        + content.split('name="confirms_authority"', 1)[1].split(">", 1)[0]
    )
    assert "checked" not in checkbox


def test_representative_signs_and_sees_pending_signature_on_my_pages(
    client, agreement, organisation, representative, run_on_commit, mailoutbox
):
    client.force_login(representative)
    with run_on_commit():
        response = client.post(reverse("agreements:sign", args=[agreement.slug]), _form(organisation), follow=True)
    signatory = Signatory.objects.get()
    assert signatory.status == Signatory.Status.PENDING
    assert signatory.organisation == organisation
    content = response.content.decode()
    assert "Tack! Föreningen Gemenskap har undertecknat." in content
    assert "Väntar på verifiering" in content
    assert [m.to for m in mailoutbox] == [["representant@example.se"]]


def test_signing_without_confirming_authority_shows_error_summary(client, agreement, organisation, representative):
    client.force_login(representative)
    data = _form(organisation)
    del data["confirms_authority"]
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert "Intyga att den som undertecknar har rätt att teckna organisationen." in content
    assert not Signatory.objects.exists()


def test_organisation_that_already_signed_is_told_so(client, agreement, organisation, representative):
    SignatoryFactory(agreement=agreement, organisation=organisation)
    client.force_login(representative)
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), _form(organisation), follow=True)
    assert "Föreningen Gemenskap har redan undertecknat överenskommelsen." in response.content.decode()
    assert Signatory.objects.count() == 1


def test_representative_cannot_sign_for_another_organisation(client, agreement, representative):
    other = OrganisationFactory()
    client.force_login(representative)
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), _form(other))
    assert response.status_code == 200
    assert not Signatory.objects.exists()


def test_agreement_not_in_force_cannot_be_signed(client, agreement, representative):
    agreement.status = Agreement.Status.EXPIRED
    agreement.save()
    client.force_login(representative)
    response = client.get(reverse("agreements:sign", args=[agreement.slug]), follow=True)
    assert "Överenskommelsen gäller inte" in response.content.decode()


def test_renamed_text_file_is_refused_with_clear_message(client, agreement, organisation, representative, media_root):
    client.force_login(representative)
    fake = SimpleUploadedFile("beslut.pdf", b"Protokoll fort vid styrelsemote", content_type="application/pdf")
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), _form(organisation, board_decision=fake))
    assert "Filen måste vara en PDF." in response.content.decode()
    assert not Signatory.objects.exists()


def test_too_large_board_decision_is_refused(client, agreement, organisation, representative, media_root, monkeypatch):
    monkeypatch.setattr("agreements.validators.BOARD_DECISION_MAX_BYTES", 100)
    client.force_login(representative)
    big = SimpleUploadedFile("beslut.pdf", PDF_BYTES + b"0" * 200, content_type="application/pdf")
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), _form(organisation, board_decision=big))
    assert "Filen är för stor" in response.content.decode()
    assert not Signatory.objects.exists()


def test_real_pdf_board_decision_is_stored(client, agreement, organisation, representative, media_root, pdf_upload):
    client.force_login(representative)
    client.post(reverse("agreements:sign", args=[agreement.slug]), _form(organisation, board_decision=pdf_upload))
    stored = Signatory.objects.get().board_decision
    assert stored.name.startswith(f"regions/{agreement.region.key}/agreements/board-decisions/")
    assert (media_root / "private" / stored.name).read_bytes() == PDF_BYTES


def test_representative_asks_to_withdraw_from_my_pages(
    client, agreement, organisation, representative, coordinator, run_on_commit, mailoutbox
):
    signatory = SignatoryFactory(agreement=agreement, organisation=organisation)
    client.force_login(representative)
    url = reverse("agreements:withdrawal_request", args=[agreement.slug, signatory.pk])
    assert client.get(reverse("accounts:mypages")).content.decode().count(url) == 1
    with run_on_commit():
        response = client.post(url, {"reason": "Vi har lagt ned verksamheten"}, follow=True)
    assert "En samordnare på regionen bekräftar återkallelsen." in response.content.decode()
    signatory.refresh_from_db()
    assert signatory.withdrawal_requested_at is not None
    assert [m.to for m in mailoutbox] == [["samordnare@example.se"]]


def test_other_organisations_representative_cannot_ask_to_withdraw(client, agreement, representative):
    signatory = SignatoryFactory(agreement=agreement)
    client.force_login(representative)
    response = client.post(
        reverse("agreements:withdrawal_request", args=[agreement.slug, signatory.pk]), {"reason": ""}
    )
    assert response.status_code == 404
    signatory.refresh_from_db()
    assert signatory.withdrawal_requested_at is None


def test_opening_sign_page_after_signing_says_already_signed(client, agreement, organisation, representative):
    SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.PENDING)
    client.force_login(representative)
    response = client.get(reverse("agreements:sign", args=[agreement.slug]), follow=True)
    assert response.redirect_chain[-1][0] == agreement.get_absolute_url()
    assert "Föreningen Gemenskap har redan undertecknat överenskommelsen." in response.content.decode()


def test_my_pages_offers_signing_only_while_an_organisation_has_not_signed(
    client, agreement, organisation, representative
):
    client.force_login(representative)
    sign_url = reverse("agreements:sign", args=[agreement.slug])
    assert sign_url in client.get(reverse("accounts:mypages")).content.decode()
    SignatoryFactory(agreement=agreement, organisation=organisation)
    assert sign_url not in client.get(reverse("accounts:mypages")).content.decode()
