"""Public pages, the answer form and the files, as a visitor, a representative and another organisation see them."""

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from consultations import services
from consultations.models import Answer, Consultation, SectionResponse
from tests.factories import OrganisationFactory
from tests.factories.consultations import NOW, AnswerFactory, ConsultationFactory, SectionAnswerFactory, SectionFactory

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _form_data(consultation, position="agree", comment="", action="save", **extra):
    data = {"action": action, "organisation": extra.pop("organisation", "")}
    for section in consultation.sections.all():
        if position:
            data[f"position_{section.pk}"] = position
        data[f"comment_{section.pk}"] = comment
    data.update(extra)
    return data


def _answer_url(consultation, organisation):
    return reverse("consultations:answer", args=[consultation.slug]) + f"?organisation={organisation.pk}"


def test_draft_consultation_is_not_public(client, clock, organisation):
    draft = ConsultationFactory(slug="utkast", invited=[organisation])
    assert client.get(reverse("consultations:detail", args=["utkast"])).status_code == 404
    assert draft.title not in client.get(reverse("consultations:list")).content.decode()


def test_open_consultation_shows_sections_deadline_and_count_but_not_who(client, clock, consultation, organisation):
    AnswerFactory(consultation=consultation, organisation=organisation)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Upphandling" in page and "Utkastet om upphandling." in page
    assert "1 organisation har svarat" in page
    assert "Föreningen Gemenskap" in page  # listed among the invited
    assert reverse("consultations:answers", args=[consultation.slug]) not in page
    assert client.get(reverse("consultations:answers", args=[consultation.slug])).status_code == 404
    assert client.get(reverse("consultations:answers_csv", args=[consultation.slug])).status_code == 404


def test_after_the_deadline_every_submitted_answer_is_public_but_no_draft(
    client, clock, consultation, organisation, other_organisation
):
    submitted = AnswerFactory(consultation=consultation, organisation=organisation, general_comment="Vi instämmer.")
    AnswerFactory(
        consultation=consultation,
        organisation=other_organisation,
        state="draft",
        submitted_at=None,
        general_comment="Hemligt utkast",
    )
    SectionAnswerFactory(answer=submitted, section=consultation.sections.first(), position="partly", comment="Delvis.")
    clock.set(consultation.closes_at + dt.timedelta(minutes=1))
    page = client.get(reverse("consultations:answers", args=[consultation.slug])).content.decode()
    assert "Vi instämmer." in page and "Delvis." in page
    assert "Hemligt utkast" not in page
    detail = client.get(consultation.get_absolute_url()).content.decode()
    assert "Läs alla svar" in detail


def test_compiled_consultation_shows_counts_chart_table_comments_and_response(
    client, clock, consultation, organisation, other_organisation
):
    first = consultation.sections.first()
    for org, position in ((organisation, "agree"), (other_organisation, "disagree")):
        answer = AnswerFactory(consultation=consultation, organisation=org)
        SectionAnswerFactory(answer=answer, section=first, position=position, comment=f"Kommentar från {org.name}")
    SectionResponse.objects.create(section=first, text="Regionen har ändrat syftet.")
    clock.set(consultation.closes_at + dt.timedelta(days=1))
    services.compilation_publish(consultation=consultation)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Regionen har ändrat syftet." in page
    assert "Kommentar från Idrottsalliansen" in page
    assert "<svg viewBox" in page and 'role="img"' in page
    assert ">Ställningstaganden om Syfte</caption>" in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # the CSP forbids inline styles
    printable = client.get(reverse("consultations:compilation", args=[consultation.slug]))
    assert printable.status_code == 200 and "print.css" in printable.content.decode()


def test_csv_and_json_of_the_answers_neutralise_formulas(client, clock, consultation, organisation):
    answer = AnswerFactory(consultation=consultation, organisation=organisation, general_comment="=HYPERLINK(1)\x07")
    SectionAnswerFactory(answer=answer, section=consultation.sections.first(), position="agree", comment="+1")
    clock.set(consultation.closes_at + dt.timedelta(minutes=1))
    csv_text = client.get(reverse("consultations:answers_csv", args=[consultation.slug])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text and "\x07" not in csv_text
    assert "'+1" in csv_text
    data = json.loads(client.get(reverse("consultations:answers_json", args=[consultation.slug])).content)
    assert data["count"] == 1
    assert data["answers"][0]["organisation"] == "Föreningen Gemenskap"
    assert "submitted_by" not in data["answers"][0]


def test_answer_form_needs_a_login(client, clock, consultation):
    response = client.get(reverse("consultations:answer", args=[consultation.slug]))
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_representative_saves_a_draft_returns_and_submits(
    client, clock, run_on_commit, consultation, organisation, representative
):
    client.force_login(representative)
    url = _answer_url(consultation, organisation)
    response = client.post(url, _form_data(consultation, comment="Första tanke", organisation=organisation.pk))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Första tanke" in page
    with run_on_commit():
        response = client.post(
            url, _form_data(consultation, action="submit", organisation=organisation.pk, understands_public="on")
        )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.is_submitted and answer.submitted_by == representative
    page = client.get(url).content.decode()
    assert "kan inte längre ändras" in page or "skrivskyddat" in page


def test_submit_without_positions_saves_the_draft_and_explains(
    client, clock, consultation, organisation, representative
):
    client.force_login(representative)
    data = _form_data(
        consultation,
        position="",
        comment="Halvfärdigt",
        action="submit",
        organisation=organisation.pk,
        understands_public="on",
    )
    response = client.post(_answer_url(consultation, organisation), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and "Halvfärdigt" in page
    answer = Answer.objects.get()
    assert answer.state == "draft" and answer.sections.filter(comment="Halvfärdigt").count() == 3


def test_submit_without_the_public_notice_is_refused_but_saved(
    client, clock, consultation, organisation, representative
):
    client.force_login(representative)
    response = client.post(
        _answer_url(consultation, organisation), _form_data(consultation, action="submit", organisation=organisation.pk)
    )
    assert response.status_code == 400
    assert "offentlig" in response.content.decode()
    assert Answer.objects.get().state == "draft"


def test_nul_character_and_absurd_length_are_refused_with_what_was_typed_kept(
    client, clock, consultation, organisation, representative
):
    client.force_login(representative)
    data = _form_data(consultation, comment="Bra text", organisation=organisation.pk)
    data["general_comment"] = "x" * 10_001
    first = consultation.sections.first()
    data[f"comment_{first.pk}"] = "Noll\x00tecken"
    response = client.post(_answer_url(consultation, organisation), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and "Bra text" in page
    assert not Answer.objects.exists()


def test_pdf_only_attachment_and_who_may_read_it(
    client, clock, consultation, organisation, representative, other_representative, media_root
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(representative)
    url = _answer_url(consultation, organisation)
    bad = SimpleUploadedFile("svar.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(url, {**_form_data(consultation, organisation=organisation.pk), "attachment": bad})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    good = SimpleUploadedFile("svar.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(url, {**_form_data(consultation, organisation=organisation.pk), "attachment": good})
    answer = Answer.objects.get()
    file_url = reverse("consultations:answer_attachment", args=[consultation.slug, answer.pk])
    own = client.get(file_url)
    assert own.status_code == 200 and own["Content-Security-Policy"] == "sandbox"
    client.force_login(other_representative)
    assert client.get(file_url).status_code == 404  # the draft gate: no hint that it exists
    client.logout()
    assert client.get(file_url).status_code == 404


def test_other_organisations_draft_is_never_editable_or_visible(
    client, clock, consultation, organisation, other_organisation, representative
):
    AnswerFactory(
        consultation=consultation,
        organisation=other_organisation,
        state="draft",
        submitted_at=None,
        general_comment="Deras utkast",
    )
    client.force_login(representative)
    response = client.get(_answer_url(consultation, other_organisation))
    # The other organisation is not one the user may choose: the choice page lists only their own.
    page = response.content.decode()
    assert "Deras utkast" not in page
    response = client.post(
        reverse("consultations:answer", args=[consultation.slug]),
        _form_data(consultation, organisation=other_organisation.pk, general_comment="Kapat"),
    )
    assert not Answer.objects.filter(general_comment="Kapat").exists()


def test_representative_of_an_organisation_that_is_not_invited_is_told(client, clock, consultation, representative):
    consultation.invited_organisations.set([OrganisationFactory()])
    client.force_login(representative)
    response = client.get(reverse("consultations:answer", args=[consultation.slug]))
    assert response.status_code == 403
    assert "inte inbjuden" in response.content.decode() or "Ingen av de organisationer" in response.content.decode()


def test_after_the_deadline_the_form_refuses_with_a_clear_message(
    client, clock, consultation, organisation, representative
):
    client.force_login(representative)
    url = _answer_url(consultation, organisation)
    clock.set(consultation.closes_at + dt.timedelta(seconds=1))
    client.force_login(representative)  # the session would have expired over the two weeks
    response = client.get(url)
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "Sista svarsdag har passerat" in page
    response = client.post(url, _form_data(consultation, comment="För sent", organisation=organisation.pk))
    assert response.status_code == 400
    assert "För sent" in response.content.decode()
    assert not Answer.objects.exists()


def test_list_and_detail_query_counts_do_not_grow_with_answers(
    client, clock, django_assert_max_num_queries, consultation
):
    for i in range(15):
        org = OrganisationFactory()
        consultation.invited_organisations.add(org)
        answer = AnswerFactory(consultation=consultation, organisation=org)
        for section in consultation.sections.all():
            SectionAnswerFactory(answer=answer, section=section, comment=f"Kommentar {i}")
    for i in range(5):
        other = ConsultationFactory(status=Consultation.Status.OPEN, closes_at=NOW + dt.timedelta(days=i + 1))
        SectionFactory(consultation=other)
    clock.set(consultation.closes_at + dt.timedelta(days=1))
    services.compilation_publish(consultation=consultation)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("consultations:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(consultation.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("consultations:answers", args=[consultation.slug])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("consultations:compilation", args=[consultation.slug])).status_code == 200


def test_cached_page_changes_when_a_coordinator_edits(client, clock, run_on_commit, consultation):
    url = consultation.get_absolute_url()
    assert "<h1>Remiss om handlingsplanen</h1>" in client.get(url).content.decode()
    with run_on_commit():  # an admin edit: the version moves on when it commits
        consultation.title = "Nytt namn på remissen"
        consultation.save()
    page = client.get(url).content.decode()
    assert "<h1>Nytt namn på remissen</h1>" in page


def test_cached_body_is_shared_until_something_changes(client, clock, consultation, django_assert_max_num_queries):
    client.get(consultation.get_absolute_url())
    Consultation.objects.filter(pk=consultation.pk).update(title="Ändrad utan signal")
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "<h1>Remiss om handlingsplanen</h1>" in page  # served from the cache


def test_public_document_is_served_inline_with_sandbox(client, clock, consultation, media_root):
    consultation.document.save("utkast.pdf", ContentFile(PDF_BYTES))
    response = client.get(reverse("consultations:document", args=[consultation.slug]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_cached_list_and_page_show_the_consultation_closed_the_moment_the_deadline_passes(client, clock, consultation):
    list_url = reverse("consultations:list")
    assert "Ingen remiss är öppen just nu." not in client.get(list_url).content.decode()
    assert "Stängd: regionen sammanställer svaren" not in client.get(consultation.get_absolute_url()).content.decode()
    clock.set(consultation.closes_at + dt.timedelta(seconds=1))
    assert "Ingen remiss är öppen just nu." in client.get(list_url).content.decode()
    assert "Stängd: regionen sammanställer svaren" in client.get(consultation.get_absolute_url()).content.decode()
