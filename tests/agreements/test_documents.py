"""Agreement versions and action plans: only published formats go in, and they come out sandboxed."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from agreements.models import ActionPlan, Agreement, AgreementVersion
from tests.factories import ActionPlanFactory, AgreementFactory, AgreementVersionFactory
from tests.samples import HTML, JS, PDF, SVG, docx, upload

pytestmark = pytest.mark.django_db

VERSION_ADD = "/admin/agreements/agreementversion/add/"
PLAN_ADD = "/admin/agreements/actionplan/add/"


def _version(agreement, name="overenskommelse.pdf", content=PDF):
    version = AgreementVersionFactory.build(agreement=agreement)
    version.document.save(name, ContentFile(content), save=True)
    return version


def _body(response):
    return b"".join(response.streaming_content)


def _version_form(agreement, document):
    return {
        "agreement": agreement.pk,
        "number": 4,
        "date": "2026-11-01",
        "change_note": "Nytt avsnitt om uppföljning.",
        "published": "on",  # an unticked box is a version being drafted, not public (issue 26)
        "document": document,
    }


@pytest.mark.parametrize(("name", "content"), [("version.html", HTML), ("version.js", JS), ("version.pdf", SVG)])
def test_admin_refuses_code_as_an_agreement_version_and_keeps_the_form(coordinator_client, media_root, name, content):
    agreement = AgreementFactory()
    response = coordinator_client.post(VERSION_ADD, _version_form(agreement, upload(name, content, "text/html")))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filen måste vara en PDF eller ett kontorsdokument" in html
    assert "Nytt avsnitt om uppföljning." in html
    assert 'value="2026-11-01"' in html
    assert not AgreementVersion.objects.exists()


def test_admin_refuses_a_script_as_an_action_plan_document(coordinator_client, media_root):
    agreement = AgreementFactory()
    data = {
        "agreement": agreement.pk,
        "title": "Handlingsplan 2027–2029",
        "period_start": 2027,
        "period_end": 2029,
        "status": "draft",
        "document": upload("plan.js", JS, "text/javascript"),
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }
    html = coordinator_client.post(PLAN_ADD, data).content.decode()
    assert "Filen måste vara en PDF eller ett kontorsdokument" in html
    assert 'value="Handlingsplan 2027–2029"' in html
    assert not ActionPlan.objects.exists()


def test_a_word_document_is_accepted_and_downloads_as_an_attachment(coordinator_client, media_root):
    agreement = AgreementFactory()
    response = coordinator_client.post(VERSION_ADD, _version_form(agreement, upload("version.docx", docx())))
    assert response.status_code == 302
    download = Client().get(reverse("agreements:version_document", args=[agreement.slug, 4]))
    assert download["Content-Disposition"].startswith(f'attachment; filename="{agreement.slug}-version-4.docx"')
    assert download["Content-Security-Policy"] == "sandbox"


def test_the_version_document_opens_inline_as_pdf(client, media_root):
    agreement = AgreementFactory()
    version = _version(agreement)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert f'href="{version.document_url}"' in page
    response = client.get(version.document_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert _body(response) == PDF


def test_an_html_document_stored_before_the_checks_is_never_rendered(client, media_root):
    """The old hole: a coordinator's .html version was served inline as text/html on our origin."""
    version = _version(AgreementFactory(), name="version.html", content=HTML)
    response = client.get(version.document_url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"


def test_action_plan_document_headers(client, media_root):
    plan = ActionPlanFactory(agreement=AgreementFactory())
    plan.document.save("plan.pdf", ContentFile(PDF), save=True)
    response = client.get(plan.document_url)
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="' in response["Content-Disposition"]
    assert _body(response) == PDF


def test_a_draft_agreements_documents_are_only_for_staff(coordinator_client, media_root):
    version = _version(AgreementFactory(status=Agreement.Status.DRAFT))
    assert Client().get(version.document_url).status_code == 404
    response = coordinator_client.get(version.document_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_admin_links_the_version_document_through_the_view(coordinator_client, media_root):
    agreement = AgreementFactory()
    version = _version(agreement)
    for url in (
        f"/admin/agreements/agreementversion/{version.pk}/change/",
        f"/admin/agreements/agreement/{agreement.pk}/change/",
    ):
        html = coordinator_client.get(url).content.decode()
        assert f'href="{version.document_url}"' in html, url
        assert "/media/" not in html


def test_a_refused_board_decision_keeps_what_the_signer_typed(client, agreement, organisation, representative):
    client.force_login(representative)
    data = {
        "organisation": organisation.pk,
        "signed_by_name": "Anna Ordförande",
        "signed_by_title": "Ordförande i styrelsen",
        "confirms_authority": "on",
        "board_decision": upload("beslut.pdf", HTML, "application/pdf"),
    }
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filen måste vara en PDF." in html
    assert 'href="#id_board_decision"' in html  # the error summary leads to the field
    assert 'value="Anna Ordförande"' in html
    assert 'value="Ordförande i styrelsen"' in html
    assert re.search(r'name="confirms_authority"[^>]*checked', html)


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_open_data_downloads_are_sandboxed_too(client, agreement, suffix):
    response = client.get(f"/overenskommelser/{agreement.slug}/undertecknare.{suffix}")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
