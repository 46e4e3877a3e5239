"""The package's XML: the root METS (E-ARK CSIP 2.x with the SIP profile, which FGS 2.0 builds on), the
descriptive metadata (simple Dublin Core) and the preservation metadata (PREMIS 3 events and objects).

Built with the standard library's ElementTree from plain values; nothing here knows the portal's apps.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

METS = "http://www.loc.gov/METS/"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS = "http://www.loc.gov/premis/v3"
DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
SCHEMA_LOCATIONS = (
    f"{METS} http://www.loc.gov/standards/mets/mets.xsd "
    f"{XLINK} http://www.loc.gov/standards/mets/xlink.xsd "
    f"{CSIP} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd "
    f"{SIP} https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd"
)

for prefix, uri in (("mets", METS), ("csip", CSIP), ("sip", SIP), ("xlink", XLINK), ("xsi", XSI)):
    ET.register_namespace(prefix, uri)
ET.register_namespace("premis", PREMIS)
ET.register_namespace("dc", DC)
ET.register_namespace("oai_dc", OAI_DC)


def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def iso(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True)
class PackedFile:
    """A file in the package: its path under the package root, MIME type, size and SHA-256."""

    path: str
    mimetype: str
    size: int
    sha256: str
    created: dt.datetime

    @property
    def xml_id(self) -> str:
        return "ID-" + "".join(c if c.isalnum() else "-" for c in self.path)


@dataclass(frozen=True)
class PackageInfo:
    objid: str
    label: str
    created: dt.datetime
    creator: str  # the region: the archive creator ("arkivbildare")
    submitter: str  # the coordinator who exported
    software: str
    software_version: str
    kind_label: str
    case_number: str = ""


def _agent(parent, role: str, name: str, *, kind: str = "ORGANIZATION", note: str = "", other: str = "") -> None:
    attrs = {"ROLE": role, "TYPE": kind}
    if other:
        attrs = {"ROLE": role, "TYPE": "OTHER", "OTHERTYPE": other}
    agent = ET.SubElement(parent, q(METS, "agent"), attrs)
    ET.SubElement(agent, q(METS, "name")).text = name
    if note:
        ET.SubElement(agent, q(METS, "note"), {q(CSIP, "NOTETYPE"): "SOFTWARE VERSION"}).text = note


def _md_ref(parent, tag: str, section_id: str, file: PackedFile, mdtype: str) -> None:
    section = ET.SubElement(parent, q(METS, tag), {"ID": section_id, "CREATED": iso(file.created), "STATUS": "CURRENT"})
    ET.SubElement(
        section,
        q(METS, "mdRef"),
        {
            "LOCTYPE": "URL",
            q(XLINK, "type"): "simple",
            q(XLINK, "href"): file.path,
            "MDTYPE": mdtype,
            "MIMETYPE": file.mimetype,
            "SIZE": str(file.size),
            "CREATED": iso(file.created),
            "CHECKSUM": file.sha256,
            "CHECKSUMTYPE": "SHA-256",
        },
    )


def _file_group(parent, use: str, group_id: str, files: list[PackedFile], **attrs) -> None:
    group = ET.SubElement(parent, q(METS, "fileGrp"), {"USE": use, "ID": group_id, **attrs})
    for file in files:
        element = ET.SubElement(
            group,
            q(METS, "file"),
            {
                "ID": file.xml_id,
                "MIMETYPE": file.mimetype,
                "SIZE": str(file.size),
                "CREATED": iso(file.created),
                "CHECKSUM": file.sha256,
                "CHECKSUMTYPE": "SHA-256",
            },
        )
        ET.SubElement(
            element, q(METS, "FLocat"), {"LOCTYPE": "URL", q(XLINK, "type"): "simple", q(XLINK, "href"): file.path}
        )


def _header(root, info: PackageInfo) -> None:
    header = ET.SubElement(
        root,
        q(METS, "metsHdr"),
        {
            "CREATEDATE": iso(info.created),
            "LASTMODDATE": iso(info.created),
            "RECORDSTATUS": "NEW",
            q(CSIP, "OAISPACKAGETYPE"): "SIP",
        },
    )
    # CSIP's one mandatory agent: the software (ROLE CREATOR, TYPE OTHER, OTHERTYPE SOFTWARE, its version).
    _agent(header, "CREATOR", info.software, other="SOFTWARE", note=info.software_version)
    # SIP's archival creator ("arkivbildare"): the region.
    _agent(header, "ARCHIVIST", info.creator)
    # The person who exported the case (METS has no submitter role: OTHER with OTHERROLE).
    agent = ET.SubElement(header, q(METS, "agent"), {"ROLE": "OTHER", "OTHERROLE": "SUBMITTER", "TYPE": "INDIVIDUAL"})
    ET.SubElement(agent, q(METS, "name")).text = info.submitter
    if info.case_number:  # the region's case number ("diarienummer"), SIP's reference code
        ET.SubElement(header, q(METS, "altRecordID"), {"TYPE": "REFERENCECODE"}).text = info.case_number


def _struct_map(root, info: PackageInfo) -> None:
    struct = ET.SubElement(root, q(METS, "structMap"), {"ID": "structmap-csip", "TYPE": "PHYSICAL", "LABEL": "CSIP"})
    top = ET.SubElement(struct, q(METS, "div"), {"ID": "div-root", "LABEL": info.objid})
    ET.SubElement(
        top, q(METS, "div"), {"ID": "div-metadata", "LABEL": "Metadata", "DMDID": "dmd-dc", "ADMID": "digiprov-premis"}
    )
    for label, group in (
        ("Documentation", "filegrp-documentation"),
        ("Schemas", "filegrp-schemas"),
        ("Representations", "filegrp-rep1"),
    ):
        division = ET.SubElement(top, q(METS, "div"), {"ID": f"div-{label.lower()}", "LABEL": label})
        ET.SubElement(division, q(METS, "fptr"), {"FILEID": group})


def mets(
    info: PackageInfo,
    *,
    descriptive: PackedFile,
    preservation: PackedFile,
    data: list[PackedFile],
    documentation: list[PackedFile],
    schemas: list[PackedFile],
) -> bytes:
    """The root METS.xml: header with agents, the metadata sections, the file section and the structure."""
    root = ET.Element(
        q(METS, "mets"),
        {
            "OBJID": info.objid,
            "LABEL": info.label,
            "TYPE": "Mixed",
            "PROFILE": SIP_PROFILE,
            q(CSIP, "CONTENTINFORMATIONTYPE"): "OTHER",
            q(CSIP, "OTHERCONTENTINFORMATIONTYPE"): content_type(info),
            q(XSI, "schemaLocation"): SCHEMA_LOCATIONS,
        },
    )
    _header(root, info)
    _md_ref(root, "dmdSec", "dmd-dc", descriptive, "DC")
    amd = ET.SubElement(root, q(METS, "amdSec"))
    _md_ref(amd, "digiprovMD", "digiprov-premis", preservation, "PREMIS")
    file_sec = ET.SubElement(root, q(METS, "fileSec"), {"ID": "filesec"})
    # Every group names its content type: eark-validator's CSIP63 fails a group without one.
    kind = {q(CSIP, "CONTENTINFORMATIONTYPE"): "OTHER", q(CSIP, "OTHERCONTENTINFORMATIONTYPE"): content_type(info)}
    _file_group(file_sec, "Documentation", "filegrp-documentation", documentation, **kind)
    _file_group(file_sec, "Schemas", "filegrp-schemas", schemas, **kind)
    _file_group(file_sec, "Representations/rep1", "filegrp-rep1", data, **kind)
    _struct_map(root, info)
    return serialise(root)


def content_type(info: PackageInfo) -> str:
    return f"Samverkansportalen: {info.kind_label}"


def dublin_core(
    *,
    identifier: str,
    title: str,
    description: str,
    creator: str,
    date: str,
    case_number: str,
    kind: str,
    language: str,
) -> bytes:
    """Simple Dublin Core (oai_dc) describing the case."""
    root = ET.Element(q(OAI_DC, "dc"))
    for name, value in (
        ("identifier", identifier),
        ("identifier", case_number),
        ("title", title),
        ("description", description),
        ("creator", creator),
        ("publisher", creator),
        ("date", date),
        ("type", kind),
        ("language", language),
    ):
        if value:
            ET.SubElement(root, q(DC, name)).text = value
    return serialise(root)
