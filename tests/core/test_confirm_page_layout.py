"""The admin's confirmation page (core/templates/admin/confirm_action.html) as a coordinator sees it when a
step cannot be taken: the reasons stand inside the red box that announces them, not after it."""

import re

import pytest
from django.urls import reverse

from consultations.models import Consultation
from tests.factories.consultations import ConsultationFactory

pytestmark = pytest.mark.django_db


def test_reasons_a_step_cannot_be_taken_are_listed_inside_the_error_box(coordinator_client):
    consultation = ConsultationFactory(status=Consultation.Status.OPEN)
    page = coordinator_client.post(
        reverse("admin:consultations_consultation_changelist"),
        {"action": "open_consultations", "_selected_action": [consultation.pk]},
    )
    assert page.status_code == 200
    html = page.content.decode()
    boxes = re.findall(r'<div class="errornote[^"]*">(.*?)</div>', html, re.S)
    assert len(boxes) == 1, "the reasons are not inside one error box"
    box = boxes[0]
    assert "Detta kan inte göras nu" in box
    reasons = re.findall(r"<li>(.*?)</li>", box, re.S)
    assert "Bara en remiss som är ett utkast kan öppnas." in reasons
    assert 'name="confirm"' not in html  # nothing to confirm
