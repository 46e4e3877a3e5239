"""The CSV and JSON of a consultation's public answers (consultations.exports), made from the API's
serializers, and the chart geometry (consultations.charts)."""

import datetime as dt
import json

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from consultations import charts
from consultations.models import Position
from tests.factories.consultations import AnswerFactory, SectionAnswerFactory

pytestmark = pytest.mark.django_db


def test_the_json_download_is_the_documented_document_from_the_api_serializer(
    client, clock, consultation, organisation, other_organisation
):
    first, second, _third = consultation.sections.order_by("order")
    answer = AnswerFactory(consultation=consultation, organisation=organisation, general_comment="Bra förslag.")
    SectionAnswerFactory(answer=answer, section=first, position="agree", comment="Vi instämmer.")
    SectionAnswerFactory(answer=answer, section=second, position="partly", comment="")
    AnswerFactory(consultation=consultation, organisation=other_organisation, state="draft", submitted_at=None)
    clock.set(consultation.closes_at + dt.timedelta(minutes=1))
    response = client.get(reverse("consultations:answers_json", args=[consultation.slug]))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'inline; filename="handlingsplanen-remissvar.json"'
    assert response.content.startswith(b'{\n "consultation": {\n  "title": "Remiss om handlingsplanen"')
    with translation.override("sv"):
        labels = {key: str(label) for key, label in Position.choices}
    assert (
        json.loads(response.content)
        == {
            "consultation": {
                "title": "Remiss om handlingsplanen",
                "slug": "handlingsplanen",
                "status": "closed",
                "closes_at": "2030-03-15T12:00:00Z",
                "url": f"{django_settings.SITE_URL}{consultation.get_absolute_url()}",  # cached for every visitor: on SITE_URL, not the Host
            },
            "count": 1,
            "answers": [
                {
                    "organisation": "Föreningen Gemenskap",
                    "organisation_number": organisation.organisation_number,
                    "submitted_at": "2030-02-28T12:00:00+00:00",
                    "late": False,
                    "general_comment": "Bra förslag.",
                    "sections": [
                        {
                            "section": "Syfte",
                            "position": "agree",
                            "position_label": labels["agree"],
                            "comment": "Vi instämmer.",
                        },
                        {
                            "section": "Upphandling",
                            "position": "partly",
                            "position_label": labels["partly"],
                            "comment": "",
                        },
                        {"section": "Uppföljning", "position": "", "position_label": "", "comment": ""},
                    ],
                }
            ],
        }
    )


def test_the_csv_has_a_column_pair_per_section(client, clock, consultation, organisation):
    answer = AnswerFactory(consultation=consultation, organisation=organisation)
    SectionAnswerFactory(answer=answer, section=consultation.sections.get(order=2), position="disagree", comment="Nej")
    clock.set(consultation.closes_at + dt.timedelta(minutes=1))
    text = client.get(reverse("consultations:answers_csv", args=[consultation.slug])).content.decode("utf-8-sig")
    header, row = text.splitlines()
    assert header.count(",") == row.count(",") == 3 + 2 * 3 + 1
    with translation.override("sv"):
        assert f",{Position.DISAGREE.label},Nej," in row


def test_position_chart_geometry():
    chart = charts.position_chart([("agree", "Instämmer", 4), ("disagree", "Avstyrker", 1)], width=390)
    # the plot is 390 - 150 - 40 = 200 wide; the longest bar fills it
    assert (chart["width"], chart["height"], chart["bar_height"], chart["label_x"]) == (390, 78, 24, 142)
    agree, disagree = chart["bars"]
    assert agree == {
        "position": "agree",
        "label": "Instämmer",
        "count": 4,
        "y": 10,
        "text_y": 26.8,
        "x": 150,
        "width": 200.0,
        "value_x": 356.0,
    }
    assert (disagree["y"], disagree["width"], disagree["value_x"]) == (44, 50.0, 206.0)


def test_position_chart_without_answers_draws_empty_bars():
    chart = charts.position_chart([("agree", "Instämmer", 0)])
    assert chart["bars"][0]["width"] == 0
