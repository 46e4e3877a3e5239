"""CSV and JSON of a consultation's submitted answers (public once the deadline has passed).

Answers are typed by the public: the CSV goes through ``core.spreadsheets`` (formulas neutralised,
control characters dropped), in its documented open data format (UTF-8 with a BOM, comma-separated).
"""

from django.utils.translation import gettext as _

from core.spreadsheets import csv_content

from .models import Consultation, Position


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
    header = [_("Organisation"), _("Organisation number"), _("Submitted"), _("Late")]
    for section in sections:
        header += [
            _("%(heading)s: position") % {"heading": section.heading},
            _("%(heading)s: comment") % {"heading": section.heading},
        ]
    header.append(_("General comment"))

    def lines():
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
            yield line

    return csv_content(lines(), header, delimiter=",")
