import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import services
from agreements.models import Agreement, Signatory
from outbox.models import OutgoingEmail
from tests.factories import (
    MandatedRepresentativeFactory,
    OrganisationFactory,
    RepresentativeFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _sign(agreement, organisation, user, **kwargs):
    params = {"signed_by_name": "Anna Ordförande", "signed_by_title": "Ordförande", "confirms_authority": True}
    params.update(kwargs)
    return services.signatory_request(agreement=agreement, organisation=organisation, user=user, **params)


def test_request_creates_pending_online_signature(agreement, organisation, representative):
    signatory = _sign(agreement, organisation, representative)
    assert signatory.status == Signatory.Status.PENDING
    assert signatory.method == Signatory.Method.ONLINE
    assert signatory.requested_by == representative
    assert signatory.confirms_authority is True


def test_request_mails_representative_and_coordinators(
    agreement, organisation, representative, coordinator, run_on_commit, mailoutbox
):
    with run_on_commit():
        _sign(agreement, organisation, representative)
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["representant@example.se", "samordnare@example.se"]
    receipt = next(m for m in mailoutbox if m.to == ["representant@example.se"])
    assert "Föreningen Gemenskap" in receipt.subject


def test_pending_signature_is_not_on_public_list(agreement, organisation, representative):
    _sign(agreement, organisation, representative)
    assert not agreement.signatories.listed().exists()


def test_organisation_can_sign_only_once(agreement, organisation, representative):
    _sign(agreement, organisation, representative)
    with pytest.raises(services.AlreadySignedError) as exc:
        _sign(agreement, organisation, representative)
    assert "redan undertecknat" in exc.value.messages[0]
    assert Signatory.objects.count() == 1


def test_second_representative_is_told_organisation_already_signed(agreement, organisation, representative):
    other = UserFactory()
    MandatedRepresentativeFactory(user=other, organisation=organisation)
    _sign(agreement, organisation, representative)
    with pytest.raises(services.AlreadySignedError):
        _sign(agreement, organisation, other)


def test_only_a_representative_of_the_organisation_may_sign(agreement, representative):
    stranger_org = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        _sign(agreement, stranger_org, representative)
    assert exc.value.code == "not_representative"


def test_unverified_organisation_cannot_sign(agreement):
    user = UserFactory()
    org = OrganisationFactory(status="submitted")
    MandatedRepresentativeFactory(user=user, organisation=org)
    with pytest.raises(ValidationError) as exc:
        _sign(agreement, org, user)
    assert exc.value.code == "organisation_not_verified"


def test_agreement_not_in_force_cannot_be_signed(agreement, organisation, representative):
    agreement.status = Agreement.Status.EXPIRED
    agreement.save()
    with pytest.raises(ValidationError) as exc:
        _sign(agreement, organisation, representative)
    assert exc.value.code == "not_in_force"


def test_authority_must_be_confirmed(agreement, organisation, representative):
    with pytest.raises(ValidationError) as exc:
        _sign(agreement, organisation, representative, confirms_authority=False)
    assert exc.value.code == "no_authority"


def test_verify_makes_signature_public_and_records_who(agreement, organisation, representative, coordinator):
    signatory = _sign(agreement, organisation, representative)
    services.signatory_verify(signatory=signatory, by=coordinator)
    signatory.refresh_from_db()
    assert signatory.status == Signatory.Status.VERIFIED
    assert signatory.verified_by == coordinator
    assert signatory.verified_at is not None
    assert list(agreement.signatories.listed()) == [signatory]


def test_verify_mails_the_representative(
    agreement, organisation, representative, coordinator, run_on_commit, mailoutbox
):
    signatory = _sign(agreement, organisation, representative)
    with run_on_commit():
        services.signatory_verify(signatory=signatory, by=coordinator)
    assert [m.to for m in mailoutbox] == [["representant@example.se"]]
    assert "verifierad" in mailoutbox[0].subject


def test_history_records_request_and_verification_with_users(agreement, organisation, representative, coordinator):
    signatory = _sign(agreement, organisation, representative)
    services.signatory_verify(signatory=signatory, by=coordinator)
    history = list(signatory.history.order_by("history_date", "history_id"))
    assert [(h.status, h.history_user) for h in history] == [("pending", representative), ("verified", coordinator)]


def test_verify_refuses_already_verified(agreement, coordinator):
    signatory = SignatoryFactory(agreement=agreement)
    with pytest.raises(ValidationError):
        services.signatory_verify(signatory=signatory, by=coordinator)


def test_withdrawal_request_notifies_coordinators_and_keeps_signature_listed(
    agreement, organisation, representative, coordinator, run_on_commit, mailoutbox
):
    signatory = SignatoryFactory(agreement=agreement, organisation=organisation)
    with run_on_commit():
        services.signatory_withdrawal_request(
            signatory=signatory, user=representative, reason="Föreningen har upplösts"
        )
    signatory.refresh_from_db()
    assert signatory.withdrawal_requested_at is not None
    assert signatory.status == Signatory.Status.VERIFIED
    assert [m.to for m in mailoutbox] == [["samordnare@example.se"]]


def test_withdrawal_request_by_other_organisations_representative_is_refused(agreement, representative):
    signatory = SignatoryFactory(agreement=agreement)
    with pytest.raises(ValidationError):
        services.signatory_withdrawal_request(signatory=signatory, user=representative)


def test_withdraw_records_date_reason_and_mails_representative(
    agreement, organisation, representative, coordinator, run_on_commit, mailoutbox
):
    signatory = SignatoryFactory(agreement=agreement, organisation=organisation)
    with run_on_commit():
        services.signatory_withdraw(
            signatory=signatory, by=coordinator, reason="På egen begäran", withdrawn_on=dt.date(2020, 1, 1)
        )
    signatory.refresh_from_db()
    assert signatory.status == Signatory.Status.WITHDRAWN
    assert signatory.withdrawn_on == dt.date(2020, 1, 1)
    assert signatory.withdrawn_by == coordinator
    assert not agreement.signatories.listed().exists()
    assert [m.to for m in mailoutbox] == [["representant@example.se"]]


def test_withdrawn_organisation_may_sign_again(agreement, organisation, representative, coordinator):
    signatory = SignatoryFactory(agreement=agreement, organisation=organisation)
    services.signatory_withdraw(signatory=signatory, by=coordinator)
    again = _sign(agreement, organisation, representative)
    assert again.pk == signatory.pk
    assert again.status == Signatory.Status.PENDING


def test_request_with_board_decision_stores_it_in_the_private_storage(
    agreement, organisation, representative, pdf_upload, media_root
):
    signatory = _sign(agreement, organisation, representative, board_decision=pdf_upload)
    assert (media_root / "private" / signatory.board_decision.name).exists()
    assert signatory.board_decision.read().startswith(b"%PDF-")


def test_request_refuses_renamed_text_file(agreement, organisation, representative, media_root):
    fake = SimpleUploadedFile("beslut.pdf", b"Detta ar ingen PDF", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        _sign(agreement, organisation, representative, board_decision=fake)
    assert exc.value.code == "format"
    assert not Signatory.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_verify_preview_counts_the_e_mails_verifying_then_queues(agreement):
    # Asked to sign by one person: only that person is told, not every representative.
    requester = UserFactory(email="bad@example.se")
    signatory = SignatoryFactory(agreement=agreement, status="pending", verified_at=None, requested_by=requester)
    RepresentativeFactory(organisation=signatory.organisation, user=requester)
    RepresentativeFactory(organisation=signatory.organisation, user=UserFactory(email="annan@example.se"))
    preview = services.signatory_verify_preview(signatory=signatory)
    assert preview.possible and preview.recipients == 1
    before = OutgoingEmail.objects.count()
    services.signatory_verify(signatory=signatory, by=None)
    assert OutgoingEmail.objects.count() - before == preview.recipients
    signatory.refresh_from_db()
    assert services.signatory_verify_preview(signatory=signatory).problems == [
        "Bara en underskrift som väntar på verifiering kan verifieras."
    ]
