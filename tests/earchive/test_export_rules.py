"""Who may export what, and nothing partial on failure: the admin action and the command."""

import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from consultations.models import Consultation
from core.regions import region_scope
from earchive import package as package_module
from tests.factories import AgreementFactory, AgreementVersionFactory, OrganisationFactory, SignatoryFactory
from tests.factories.consultations import AnswerFactory, ConsultationFactory, SectionFactory

from .conftest import checksum_problems, validation_errors

pytestmark = pytest.mark.django_db


def _closed_consultation(**kwargs):
    consultation = ConsultationFactory(status=Consultation.Status.CLOSED, **kwargs)
    section = SectionFactory(consultation=consultation)
    for name in ("Föreningen Norrsken", "Bygdegårdsföreningen Ås"):
        answer = AnswerFactory(
            consultation=consultation, organisation=OrganisationFactory(name=name), general_comment=f"Svar från {name}"
        )
        answer.sections.create(section=section, position="agree", comment="Bra")
    return consultation


def _action(client, model: str, obj):
    url = reverse(f"admin:{model.replace('.', '_')}_changelist")
    return client.post(url, {"action": "export_to_earchive", "_selected_action": [obj.pk]}, follow=False)


def test_the_admin_action_downloads_the_package_of_a_closed_consultation(coordinator_client, tmp_path):
    consultation = _closed_consultation()
    response = _action(coordinator_client, "consultations.consultation", consultation)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"consultation-{consultation.pk}.zip" in response["Content-Disposition"]
    path = tmp_path / "package.zip"
    path.write_bytes(b"".join(response.streaming_content))
    assert validation_errors(path) == []
    with zipfile.ZipFile(path) as archive:
        answers = next(name for name in archive.namelist() if name.endswith("records/answers.csv"))
        text = archive.read(answers).decode("utf-8-sig")
    assert "Föreningen Norrsken" in text and "Bygdegårdsföreningen Ås" in text


def test_an_open_case_is_refused_with_a_message(coordinator_client):
    consultation = ConsultationFactory(status=Consultation.Status.OPEN)
    response = _action(coordinator_client, "consultations.consultation", consultation)
    assert response.status_code == 302
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "är fortfarande öppet" in page or "is still open" in page
    draft = AgreementFactory(status="draft")
    response = _action(coordinator_client, "agreements.agreement", draft)
    assert response.status_code == 302


def test_another_regions_coordinator_cannot_export(client, coordinator, other_region):
    from core.permissions import ensure_coordinator_group
    from tests.factories import UserFactory

    consultation = _closed_consultation()
    stranger = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    stranger.groups.add(ensure_coordinator_group())
    other_region.coordinators.add(stranger)
    client.force_login(stranger)
    url = reverse("admin:consultations_consultation_changelist")
    response = client.post(url, {"action": "export_to_earchive", "_selected_action": [consultation.pk]})
    assert response.status_code in (302, 403, 404)
    assert response.get("Content-Type") != "application/zip"
    with region_scope(other_region):  # on Halland's host the case does not exist
        response = client.post(
            url, {"action": "export_to_earchive", "_selected_action": [consultation.pk]}, HTTP_HOST="halland.testserver"
        )
    assert response.get("Content-Type") != "application/zip"


def test_a_failure_midway_leaves_nothing_on_disk(region, media_root, tmp_path, monkeypatch, settings):
    agreement = AgreementFactory()
    AgreementVersionFactory(agreement=agreement, number=1).document.save("v1.pdf", ContentFile(b"%PDF-1.4 one"))
    AgreementVersionFactory(agreement=agreement, number=2).document.save("v2.pdf", ContentFile(b"%PDF-1.4 two"))
    SignatoryFactory(agreement=agreement)
    calls = []
    real_copy = package_module.PackageWriter.copy

    def copy_then_fail(self, path, source):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("the storage went away")
        return real_copy(self, path, source)

    monkeypatch.setattr(package_module.PackageWriter, "copy", copy_then_fail)
    out = tmp_path / "leverans"
    with pytest.raises(CommandError):
        call_command("export_earchive", region=region.short_name, kind="agreement", ids=[agreement.pk], out=str(out))
    assert len(calls) == 2  # it failed halfway, after one document was written
    assert list(out.iterdir()) == []


def test_the_command_exports_several_cases_and_refuses_an_open_one(region, tmp_path):
    closed = [_closed_consultation(), _closed_consultation()]
    out = tmp_path / "leverans"
    call_command(
        "export_earchive", region=region.short_name, kind="consultation", ids=[c.pk for c in closed], out=str(out)
    )
    written = sorted(out.iterdir())
    assert [p.name for p in written] == sorted(f"samverkan-{region.short_name}-consultation-{c.pk}.zip" for c in closed)
    assert all(validation_errors(p) == [] and checksum_problems(p) == [] for p in written)
    open_one = ConsultationFactory(status=Consultation.Status.OPEN)
    again = tmp_path / "again"
    with pytest.raises(CommandError, match="öppet|open"):
        call_command(
            "export_earchive",
            region=region.short_name,
            kind="consultation",
            ids=[closed[0].pk, open_one.pk],
            out=str(again),
        )
    assert not again.exists() or list(again.iterdir()) == []


def test_the_command_does_not_find_another_regions_case(region, other_region, tmp_path):
    consultation = _closed_consultation()
    with pytest.raises(CommandError, match="No consultation"):
        call_command(
            "export_earchive", region="halland", kind="consultation", ids=[consultation.pk], out=str(tmp_path / "x")
        )
    assert not (tmp_path / "x").exists()


def test_the_temporary_file_is_removed_when_the_package_fails(region, tmp_path, monkeypatch):
    import tempfile

    from earchive.services import case_export

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    consultation = _closed_consultation()
    monkeypatch.setattr(package_module, "premis", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        case_export(obj=consultation, user=None)
    assert list(Path(tmp_path).iterdir()) == []


def test_the_service_refuses_a_coordinator_of_another_region_and_a_case_of_another_region(region, other_region):
    from django.core.exceptions import PermissionDenied

    from core.permissions import ensure_coordinator_group
    from earchive.services import case_export
    from tests.factories import UserFactory

    consultation = _closed_consultation()
    stranger = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    stranger.groups.add(ensure_coordinator_group())
    other_region.coordinators.add(stranger)
    with pytest.raises(PermissionDenied):
        case_export(obj=consultation, user=stranger)
    with region_scope(other_region), pytest.raises(PermissionDenied):
        case_export(obj=consultation, user=None)  # a case of another region than the one in force


def test_the_case_number_is_the_packages_reference_code_when_the_case_has_one(region, tmp_path):
    from earchive.services import case_export

    consultation = _closed_consultation()
    consultation.case_number = "RS 2026/123"  # the field another branch adds; read with getattr
    package = case_export(obj=consultation, user=None, directory=str(tmp_path))
    with zipfile.ZipFile(package.path) as archive:
        mets = next(archive.read(n) for n in archive.namelist() if n.endswith("/METS.xml")).decode()
        dc = next(archive.read(n) for n in archive.namelist() if n.endswith("/dc.xml")).decode()
    assert '<mets:altRecordID TYPE="REFERENCECODE">RS 2026/123</mets:altRecordID>' in mets
    assert "RS 2026/123" in dc


def test_the_agreements_list_offers_the_export_and_it_downloads_every_signatory(
    coordinator_client, media_root, tmp_path
):
    agreement = AgreementFactory()
    names = ["Föreningen Norrsken", "Studieförbundet Vuxenskolan"]
    for name in names:
        SignatoryFactory(agreement=agreement, organisation=OrganisationFactory(name=name))
    page = coordinator_client.get(reverse("admin:agreements_agreement_changelist")).content.decode()
    assert "Exportera till e-arkiv" in page
    response = _action(coordinator_client, "agreements.agreement", agreement)
    assert response["Content-Type"] == "application/zip"
    path = tmp_path / "agreement.zip"
    path.write_bytes(b"".join(response.streaming_content))
    assert validation_errors(path) == []
    with zipfile.ZipFile(path) as archive:
        signatories = next(n for n in archive.namelist() if n.endswith("records/signatories.csv"))
        text = archive.read(signatories).decode("utf-8-sig")
    assert all(name in text for name in names)


def test_a_changed_file_no_longer_matches_its_checksum(region, tmp_path):
    from earchive.services import case_export

    package = case_export(obj=_closed_consultation(), user=None, directory=str(tmp_path))
    assert checksum_problems(package.path) == []
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(package.path) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content.replace(b"Norrsken", b"Nordljus"))
    assert any("answers" in problem for problem in checksum_problems(tampered))
