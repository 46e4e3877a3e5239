"""The e-archive package of the demo's closed cases: valid E-ARK (eark-validator), with every record."""

import json
from pathlib import Path

import pytest

from agreements.models import Agreement, Signatory
from consultations import demo as consultations_demo
from consultations.models import Answer, Consultation
from core.regions import region_scope
from earchive.services import case_export

from .conftest import checksum_problems, open_package, validation_errors

pytestmark = pytest.mark.django_db


def _export(obj, user, tmp_path) -> Path:
    package = case_export(obj=obj, user=user, directory=str(tmp_path))
    final = tmp_path / package.filename
    package.path.rename(final)
    return final


def test_the_demo_consultation_exports_as_a_valid_package_with_every_answer(vgr, vgr_coordinator, tmp_path):
    with region_scope(vgr):
        consultation = Consultation.objects.get(slug=consultations_demo.PLAN_SLUG)
        path = _export(consultation, vgr_coordinator, tmp_path)
        answers = list(consultation.answers.filter(state=Answer.State.SUBMITTED).select_related("organisation"))
    assert validation_errors(path) == []
    assert checksum_problems(path) == []
    files = open_package(path.read_bytes())
    root = path.stem
    records = json.loads(files[f"{root}/representations/rep1/data/records/answers.json"])
    assert {row["organisation"] for row in records} == {a.organisation.name for a in answers}
    assert all(row["submitted_at"] for row in records)
    csv_text = files[f"{root}/representations/rep1/data/records/answers.csv"].decode("utf-8-sig")
    for answer in answers:
        assert answer.organisation.name in csv_text
    invitation = json.loads(files[f"{root}/representations/rep1/data/records/invitation.json"])[0]
    assert invitation["title"] == consultation.title
    compilation = json.loads(files[f"{root}/representations/rep1/data/records/compilation.json"])
    assert compilation[0]["response"] == consultation.compilation_summary
    mets = files[f"{root}/METS.xml"].decode()
    assert 'CHECKSUMTYPE="SHA-256"' in mets and "metadata/preservation/premis.xml" in mets
    assert "Answer from" in files[f"{root}/metadata/preservation/premis.xml"].decode()


def test_the_demo_agreement_exports_with_every_signatory_and_its_history(vgr, vgr_coordinator, tmp_path):
    with region_scope(vgr):
        agreement = Agreement.objects.get(status=Agreement.Status.IN_FORCE)
        path = _export(agreement, vgr_coordinator, tmp_path)
        signatories = list(Signatory.objects.filter(agreement=agreement).select_related("organisation"))
    assert validation_errors(path) == []
    assert checksum_problems(path) == []
    files = open_package(path.read_bytes())
    root = path.stem
    rows = json.loads(files[f"{root}/representations/rep1/data/records/signatories.json"])
    assert sorted(r["organisation"] for r in rows) == sorted(s.organisation.name for s in signatories)
    history = json.loads(files[f"{root}/representations/rep1/data/records/signatory_history.json"])
    withdrawn = next(s for s in signatories if s.status == Signatory.Status.WITHDRAWN)
    assert [h["status"] for h in history if h["signatory_id"] == withdrawn.pk][-1] == "withdrawn"
    assert json.loads(files[f"{root}/representations/rep1/data/records/action_plans.json"])
    assert any(name.startswith(f"{root}/representations/rep1/data/documents/versions/") for name in files)
