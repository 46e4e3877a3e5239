"""One case as an E-ARK information package (CSIP/SIP, the ground of FGS 2.0), written as a ZIP:

    <objid>/METS.xml
    <objid>/metadata/descriptive/dc.xml
    <objid>/metadata/preservation/premis.xml
    <objid>/representations/rep1/data/records/<name>.json and .csv   (the portal's records of the case)
    <objid>/representations/rep1/data/documents/...                  (the stored files)

Every file is hashed (SHA-256) as it is written; METS lists each with its checksum, PREMIS too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
import zipfile
from pathlib import Path
from typing import BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from core.archive import ArchiveContribution
from core.spreadsheets import csv_content

from .premis import premis
from .xml import PackageInfo, PackedFile, dublin_core, iso, mets

DATA = "representations/rep1/data"
SCHEMAS = Path(__file__).resolve().parent / "schemas"  # METS, xlink and the E-ARK extensions, as the package uses them
README = """Samverkansportalen: e-arkivpaket (E-ARK SIP, CSIP 2.1; FGS 2.0)

METS.xml                              paketets innehållsförteckning med SHA-256 för varje fil
metadata/descriptive/dc.xml           beskrivning av ärendet (Dublin Core)
metadata/preservation/premis.xml      händelser (skapat, undertecknat, besvarat, beslutat) och filernas kontrollsummor
representations/rep1/data/records/    portalens uppgifter om ärendet som JSON och CSV (semikolon, UTF-8)
representations/rep1/data/documents/  ärendets dokument
schemas/                              XML-scheman för METS

The same in English: METS.xml lists every file with its SHA-256; dc.xml describes the case; premis.xml holds
its events and the files' checksums; records/ holds the portal's records of the case as JSON and CSV;
documents/ the case's stored files.
"""
CHUNK = 1024 * 1024


class PackageWriter:
    """Writes files into the ZIP under the package's root folder and remembers what it wrote."""

    def __init__(self, archive: zipfile.ZipFile, root: str, created: dt.datetime):
        self.archive, self.root, self.created = archive, root, created

    def write(self, path: str, content: bytes, mimetype: str = "") -> PackedFile:
        self.archive.writestr(f"{self.root}/{path}", content)
        return PackedFile(
            path=path,
            mimetype=mimetype or _mimetype(path),
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest().upper(),
            created=self.created,
        )

    def copy(self, path: str, source: BinaryIO) -> PackedFile:
        """Stream a stored file into the ZIP, hashing it on the way."""
        digest, size = hashlib.sha256(), 0
        with self.archive.open(f"{self.root}/{path}", "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        return PackedFile(
            path=path, mimetype=_mimetype(path), size=size, sha256=digest.hexdigest().upper(), created=self.created
        )


def _mimetype(path: str) -> str:
    if path.endswith(".csv"):
        return "text/csv"
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _safe_name(name: str) -> str:
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".", "..")]
    return "/".join(parts) or "document"


def _records(writer: PackageWriter, records: dict[str, list[dict]]) -> list[PackedFile]:
    files = []
    for name, rows in records.items():
        as_json = json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")
        files.append(writer.write(f"{DATA}/records/{name}.json", as_json, "application/json"))
        header = list(dict.fromkeys(key for row in rows for key in row))
        table = [[_cell(row.get(key)) for key in header] for row in rows]
        files.append(writer.write(f"{DATA}/records/{name}.csv", csv_content(table, header), "text/csv"))
    return files


def _cell(value):
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return value


def _documents(writer: PackageWriter, contribution: ArchiveContribution) -> list[PackedFile]:
    files = []
    for document in contribution.documents:
        with document.file.open("rb") as source:
            files.append(writer.copy(f"{DATA}/documents/{_safe_name(document.name)}", source))
    return files


def write_package(
    target: BinaryIO, contribution: ArchiveContribution, info: PackageInfo, *, language: str
) -> list[str]:
    """Write the whole package for ``contribution`` into ``target`` (a binary file); returns its paths."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = PackageWriter(archive, info.objid, info.created)
        data = _records(writer, contribution.records) + _documents(writer, contribution)
        documentation = [writer.write("documentation/README.txt", README.encode("utf-8"), "text/plain")]
        schemas = [
            writer.write(f"schemas/{xsd.name}", xsd.read_bytes(), "text/xml") for xsd in sorted(SCHEMAS.glob("*.xsd"))
        ]
        descriptive = writer.write(
            "metadata/descriptive/dc.xml",
            dublin_core(
                identifier=info.objid,
                title=contribution.title,
                description=contribution.description,
                creator=info.creator,
                date=iso(contribution.closed or contribution.created),
                case_number=contribution.case_number,
                kind=info.kind_label,
                language=language,
            ),
            "text/xml",
        )
        preservation = writer.write(
            "metadata/preservation/premis.xml", premis(info, files=data, events=contribution.events), "text/xml"
        )
        writer.write(
            "METS.xml",
            mets(
                info,
                descriptive=descriptive,
                preservation=preservation,
                data=data,
                documentation=documentation,
                schemas=schemas,
            ),
            "text/xml",
        )
        return archive.namelist()


def package_info(contribution: ArchiveContribution, *, region, submitter: str, kind_label: str) -> PackageInfo:
    from django.conf import settings

    return PackageInfo(
        objid=f"samverkan-{region.short_name}-{contribution.kind}-{contribution.identifier}",
        label=contribution.title,
        created=timezone.now(),
        creator=region.name,
        submitter=submitter,
        software="Samverkansportalen",
        software_version=getattr(settings, "PORTAL_VERSION", "") or "1",
        kind_label=kind_label,
        case_number=contribution.case_number,
    )
