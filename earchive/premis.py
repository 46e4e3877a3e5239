"""The package's preservation metadata: PREMIS 3 with an object per file of the representation (its SHA-256),
the case's events (created, signed, answered, decided, closed) and the export itself, and their agents."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from core.archive import ArchiveEvent

from .xml import PREMIS, PackageInfo, PackedFile, iso, q, serialise


def _identifier(parent, prefix: str, value: str) -> None:
    element = ET.SubElement(parent, q(PREMIS, f"{prefix}Identifier"))
    ET.SubElement(element, q(PREMIS, f"{prefix}IdentifierType")).text = "local"
    ET.SubElement(element, q(PREMIS, f"{prefix}IdentifierValue")).text = value


def _object(root, file: PackedFile) -> None:
    element = ET.SubElement(
        root, q(PREMIS, "object"), {"{http://www.w3.org/2001/XMLSchema-instance}type": "premis:file"}
    )
    _identifier(element, "object", file.path)
    characteristics = ET.SubElement(element, q(PREMIS, "objectCharacteristics"))
    fixity = ET.SubElement(characteristics, q(PREMIS, "fixity"))
    ET.SubElement(fixity, q(PREMIS, "messageDigestAlgorithm")).text = "SHA-256"
    ET.SubElement(fixity, q(PREMIS, "messageDigest")).text = file.sha256.lower()
    ET.SubElement(characteristics, q(PREMIS, "size")).text = str(file.size)
    form = ET.SubElement(characteristics, q(PREMIS, "format"))
    designation = ET.SubElement(form, q(PREMIS, "formatDesignation"))
    ET.SubElement(designation, q(PREMIS, "formatName")).text = file.mimetype


def _event(root, number: int, event: ArchiveEvent, agents: dict[str, str]) -> None:
    element = ET.SubElement(root, q(PREMIS, "event"))
    _identifier(element, "event", f"event-{number}")
    ET.SubElement(element, q(PREMIS, "eventType")).text = event.kind
    ET.SubElement(element, q(PREMIS, "eventDateTime")).text = iso(event.at)
    detail = ET.SubElement(element, q(PREMIS, "eventDetailInformation"))
    ET.SubElement(detail, q(PREMIS, "eventDetail")).text = event.detail
    if event.agent:
        link = ET.SubElement(element, q(PREMIS, "linkingAgentIdentifier"))
        ET.SubElement(link, q(PREMIS, "linkingAgentIdentifierType")).text = "local"
        ET.SubElement(link, q(PREMIS, "linkingAgentIdentifierValue")).text = agents.setdefault(
            event.agent, f"agent-{len(agents) + 1}"
        )


def premis(info: PackageInfo, *, files: list[PackedFile], events: list[ArchiveEvent]) -> bytes:
    """PREMIS: the files with their checksums, the case's events in time order, then the export."""
    root = ET.Element(q(PREMIS, "premis"), {"version": "3.0"})
    for file in files:
        _object(root, file)
    agents: dict[str, str] = {}
    export = ArchiveEvent(
        kind="ingestion start",
        at=info.created,
        detail=f"Exported from {info.software} {info.software_version} as an E-ARK SIP",
        agent=info.submitter,
    )
    ordered = sorted(events, key=lambda e: iso(e.at))
    for number, event in enumerate([*ordered, export], start=1):
        _event(root, number, event, agents)
    for name, agent_id in agents.items():
        element = ET.SubElement(root, q(PREMIS, "agent"))
        _identifier(element, "agent", agent_id)
        ET.SubElement(element, q(PREMIS, "agentName")).text = name
    return serialise(root)
