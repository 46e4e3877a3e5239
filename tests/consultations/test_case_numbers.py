"""A consultation's case number on its page, in the list (``?diarienummer=``) and in the API (issue 27)."""

import pytest
from django.urls import reverse

from consultations.models import Consultation

pytestmark = pytest.mark.django_db


def test_the_case_number_is_on_the_page_the_list_and_in_the_api(client, consultation):
    Consultation.objects.filter(pk=consultation.pk).update(case_number="RS 2030/17")
    assert "RS 2030/17" in client.get(consultation.get_absolute_url()).content.decode()
    found = client.get(reverse("consultations:list"), {"diarienummer": "2030/17"}).content.decode()
    assert "Remiss om handlingsplanen" in found and "1 handling med ett diarienummer" in found
    missed = client.get(reverse("consultations:list"), {"diarienummer": "1999/1"}).content.decode()
    assert "Remiss om handlingsplanen" not in missed
    assert client.get("/api/v1/consultations/handlingsplanen/").json()["case_number"] == "RS 2030/17"
