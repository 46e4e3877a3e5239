import importlib.util
import io
import urllib.request
import zipfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

from agreements import demo as agreements_demo
from consultations import demo as consultations_demo
from core import demo as core_demo
from core.permissions import ensure_coordinator_group
from core.regions import region_scope
from organisations import demo as organisations_demo
from tests.demo_regions import demo_regions
from tests.factories import UserFactory

VGR_HOST = "vgr.localhost"


@pytest.fixture
def vgr(media_root, run_on_commit, settings):
    """Västra Götalandsregionen with the demo's agreement and consultations (as load_demo makes them)."""
    settings.ALLOWED_HOSTS = ["*"]
    regions = demo_regions()
    vgr = regions["vgr"]
    with region_scope(vgr):
        core_demo.load()
        organisations_demo.load()
        agreements_demo.load()
        with run_on_commit():
            consultations_demo.load()
    return vgr


@pytest.fixture
def vgr_coordinator(vgr):
    user = UserFactory(is_staff=True, email="samordnare.test.vgr@example.se", full_name="Vera Samordnare")
    user.groups.add(ensure_coordinator_group())
    vgr.coordinators.add(user)
    return user


@contextmanager
def _offline_vocabularies():
    """eark-validator reads four CSIP vocabularies from earkcsip.dilcis.eu when it is imported; the tests
    run offline, so it is given the copies of the same vocabularies that the package ships."""
    vocabs = Path(importlib.util.find_spec("eark_validator").submodule_search_locations[0]) / "ipxml/resources/vocabs"
    real = urllib.request.urlopen

    def urlopen(url, *args, **kwargs):
        if isinstance(url, str) and url.startswith("https://earkcsip.dilcis.eu/schema/"):
            return (vocabs / url.rsplit("/", 1)[-1]).open("rb")
        return real(url, *args, **kwargs)

    with mock.patch.object(urllib.request, "urlopen", urlopen):
        yield


def validator():
    with _offline_vocabularies():
        from eark_validator.packages import PackageValidator
    return PackageValidator


# eark-validator's SIP rules ask that a note of every CREATOR agent have NOTETYPE "IDENTIFICATIONCODE" (SIP14),
# while its CSIP rules require exactly one CREATOR agent, the software, with exactly one note of csip:NOTETYPE
# "SOFTWARE VERSION" (CSIP11-CSIP16). No METS satisfies both; the package follows CSIP, so SIP14 is the one
# error every E-ARK SIP gets from this validator, and the only one tolerated here.
CONTRADICTING_RULES = {"SIP14"}


def validation_errors(path: Path) -> list[str]:
    """What eark-validator (E-ARK CSIP/SIP 2.1) finds wrong in the package: structure and METS errors."""
    report = validator()(path).validation_report
    errors = [f"{m.rule_id}: {m.message}" for m in report.structure.messages if m.severity == "Error"]
    if report.metadata is not None:
        for results in (report.metadata.schema_results, report.metadata.schematron_results):
            errors += [
                f"{m.rule_id}: {m.message} ({m.location})"
                for m in results.messages
                if m.severity == "Error" and m.rule_id not in CONTRADICTING_RULES
            ]
    return errors


def open_package(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def checksum_problems(path: Path) -> list[str]:
    """eark-validator does not compare checksums: every file of the package but METS.xml must be listed in
    METS with its size and SHA-256, and match."""
    import hashlib
    import xml.etree.ElementTree as ET  # noqa: S405 - our own package, just written

    mets_ns, xlink = "{http://www.loc.gov/METS/}", "{http://www.w3.org/1999/xlink}href"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        root = names[0].split("/", 1)[0]
        mets = ET.fromstring(archive.read(f"{root}/METS.xml"))  # noqa: S314
        listed = {}
        for element in mets.iter():
            if element.tag == f"{mets_ns}file":
                href = element.find(f"{mets_ns}FLocat").get(xlink)
            elif element.tag == f"{mets_ns}mdRef":
                href = element.get(xlink)
            else:
                continue
            listed[href] = (int(element.get("SIZE")), element.get("CHECKSUM"), element.get("CHECKSUMTYPE"))
        problems = []
        for name in names:
            relative = name.split("/", 1)[1]
            if relative == "METS.xml":
                continue
            if relative not in listed:
                problems.append(f"{relative} is not in METS")
                continue
            content = archive.read(name)
            size, checksum, kind = listed[relative]
            if kind != "SHA-256" or checksum != hashlib.sha256(content).hexdigest().upper() or size != len(content):
                problems.append(f"{relative}: size or SHA-256 does not match")
    return problems
