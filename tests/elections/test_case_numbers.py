"""A selection round's case number on its page, in the list (``?diarienummer=``) and in the API (issue 27)."""

import pytest
from django.urls import reverse

from elections.models import SelectionRound

pytestmark = pytest.mark.django_db


def test_the_case_number_is_on_the_page_the_list_and_in_the_api(client, nominating_round):
    SelectionRound.objects.filter(pk=nominating_round.pk).update(case_number="RS 2026/301")
    assert "RS 2026/301" in client.get(nominating_round.get_absolute_url()).content.decode()
    found = client.get(reverse("elections:list"), {"diarienummer": "2026/301"}).content.decode()
    assert nominating_round.title in found
    missed = client.get(reverse("elections:list"), {"diarienummer": "1999/1"}).content.decode()
    assert nominating_round.title not in missed and "Inget val har ett sådant diarienummer" in missed
    api = client.get(f"/api/v1/selection-rounds/{nominating_round.slug}/")
    assert api.json()["case_number"] == "RS 2026/301"
