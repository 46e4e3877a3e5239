"""CSV and JSON of a consultation's submitted answers (public once the deadline has passed).

Cells are neutralised for spreadsheets: answers are typed by the public, and a leading = + - @
(or tab / carriage return) would run as a formula; other control characters are dropped.
"""

import csv
import io
import re

from django.utils.translation import gettext as _

from .models import Consultation, Position

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def answer_rows(*, consultation: Consultation, answers, sections) -> list[dict]:
    labels = dict(Position.choices)
    rows = []
    for answer in answers:
        by_section = {row.section_id: row for row in answer.sections.all()}
        rows.append(
            {
                "organisation": answer.organisation.name,
                "organisation_number": answer.organisation.organisation_number,
                "submitted_at": answer.submitted_at.isoformat() if answer.submitted_at else None,
                "late": answer.late,
                "general_comment": answer.general_comment,
                "sections": [
                    {
                        "section": section.heading,
                        "position": by_section[section.pk].position if section.pk in by_section else "",
                        "position_label": str(labels.get(by_section[section.pk].position, ""))
                        if section.pk in by_section
                        else "",
                        "comment": by_section[section.pk].comment if section.pk in by_section else "",
                    }
                    for section in sections
                ],
            }
        )
    return rows


def answers_csv_bytes(*, rows: list[dict], sections) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    header = [_("Organisation"), _("Organisation number"), _("Submitted"), _("Late")]
    for section in sections:
        header += [
            _("%(heading)s: position") % {"heading": section.heading},
            _("%(heading)s: comment") % {"heading": section.heading},
        ]
    header.append(_("General comment"))
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        line = [
            row["organisation"],
            row["organisation_number"],
            row["submitted_at"] or "",
            _("yes") if row["late"] else "",
        ]
        for item in row["sections"]:
            line += [item["position_label"], item["comment"]]
        line.append(row["general_comment"])
        writer.writerow([safe_cell(v) for v in line])
    return buffer.getvalue().encode("utf-8")
