"""The consultations' parts of the home page and Mina sidor, and the e-mails in the recipient's language."""

import pytest
from django.core import mail

from consultations import services
from tests.factories.consultations import NOW, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_home_page_lists_the_open_consultation(client, clock, consultation):
    page = client.get("/").content.decode()
    assert "Remiss om handlingsplanen" in page and consultation.get_absolute_url() in page


def test_mypages_shows_the_organisations_consultation_and_the_answer_state(
    client, clock, consultation, organisation, representative
):
    client.force_login(representative)
    page = client.get("/mina-sidor/").content.decode()
    assert "Remisser till mina organisationer" in page
    assert "Inte påbörjat" in page and "Svara för Föreningen Gemenskap" in page
    services.answer_save(
        consultation=consultation, organisation=organisation, user=representative, positions={}, now=NOW
    )
    assert "Utkast" in client.get("/mina-sidor/").content.decode()


def test_invitation_is_in_each_recipients_language(
    run_on_commit, organisation, representative, other_organisation, other_representative
):
    other_representative.language = "en"
    other_representative.save()
    consultation = ConsultationFactory(title="Remiss om stadgarna", invited=[organisation, other_organisation])
    SectionFactory(consultation=consultation)
    with run_on_commit():
        services.consultation_open(consultation=consultation, now=NOW)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["representant@example.se"].subject == "Remiss: Remiss om stadgarna"
    assert "Svara senast" in by_address["representant@example.se"].body
    assert by_address["annan@example.se"].subject == "Consultation: Remiss om stadgarna"
    assert "Answer before" in by_address["annan@example.se"].body
