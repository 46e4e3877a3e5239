"""CSV and JSON of a consultation's submitted answers (public once the deadline has passed).

Answers are typed by the public: the CSV goes through ``core.spreadsheets`` (formulas neutralised,
control characters dropped), in its documented open data format (UTF-8 with a BOM, comma-separated).
"""

from django.utils.translation import gettext as _

from core.spreadsheets import csv_content, json_content

from .models import Consultation


def _public(consultation: Consultation) -> tuple[list, list]:
    """The draft's sections, in order, and the public answers."""
    from . import selectors

    return list(consultation.sections.all()), selectors.public_answers(consultation=consultation)


def answer_rows(*, answers, sections) -> list[dict]:
    """The answers as the downloads give them (the API's ``AnswerDownloadSerializer``)."""
    from .serializers import AnswerDownloadSerializer

    return AnswerDownloadSerializer(answers, many=True, context={"sections": sections}).data


def answers_csv(consultation: Consultation) -> bytes:
    sections, answers = _public(consultation)
    return answers_csv_bytes(rows=answer_rows(answers=answers, sections=sections), sections=sections)


def answers_json(consultation: Consultation) -> bytes:
    """The consultation, the number of answers and the answers (``AnswersDownloadSerializer``).

    Built without the request: the document is cached for every visitor, so its links are on the
    portal's own address (``SITE_URL``, see ``core.links``), never the Host of whoever built it.
    """
    from .serializers import AnswersDownloadSerializer

    sections, answers = _public(consultation)
    context = {"request": None, "phase": consultation.phase(), "sections": sections, "answers": answers}
    return json_content(AnswersDownloadSerializer(consultation, context=context).data)


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
