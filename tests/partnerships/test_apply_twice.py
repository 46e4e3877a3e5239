""" "Save draft" pressed twice with a file (a double click, or the browser sending the post again after a
dropped connection): the draft is saved and the file stored once. The form's token tells the repeat."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import ApplicationAttachment
from tests.samples import PDF, pdf

pytestmark = pytest.mark.django_db


def _draft(client, call, **extra):
    response = client.get(reverse("grants:apply", args=[call.slug]))
    token = response.context["form"]["idempotency_key"].value()
    assert f'name="idempotency_key" value="{token}"' in response.text
    data = {"title": "Läxhjälp", "action": "save", "idempotency_key": token, **extra}
    return token, data


def _with_file(data, name="budget.pdf"):
    return {**data, "attachment": SimpleUploadedFile(name, PDF, content_type="application/pdf")}


def test_the_same_post_twice_stores_the_file_once(client, call, representative, clock, media_root):
    client.force_login(representative)
    _token, data = _draft(client, call, attachment_title="Budget")
    first = client.post(reverse("grants:apply", args=[call.slug]), _with_file(data))
    again = client.post(reverse("grants:apply", args=[call.slug]), _with_file(data))
    assert first.status_code == again.status_code == 302
    assert list(ApplicationAttachment.objects.values_list("title", flat=True)) == ["Budget"]


def test_a_new_post_of_the_form_adds_the_next_file(client, call, representative, clock, media_root):
    client.force_login(representative)
    _token, data = _draft(client, call, attachment_title="Budget")
    client.post(reverse("grants:apply", args=[call.slug]), _with_file(data))
    _token, data = _draft(client, call, attachment_title="Stadgar")  # the form shown again: a new token
    client.post(reverse("grants:apply", args=[call.slug]), _with_file(data, "stadgar.pdf"))
    assert list(ApplicationAttachment.objects.values_list("title", flat=True)) == ["Budget", "Stadgar"]


def test_without_a_token_every_post_stores_its_file(client, call, representative, clock, media_root):
    """A form kept from before the token (or sent by a script) is not refused: each post is new."""
    client.force_login(representative)
    _token, data = _draft(client, call, attachment_title="Budget")
    data.pop("idempotency_key")
    client.post(reverse("grants:apply", args=[call.slug]), _with_file(data))
    client.post(reverse("grants:apply", args=[call.slug]), _with_file(data))
    assert ApplicationAttachment.objects.count() == 2


def test_the_form_shown_again_after_an_error_takes_another_file_with_its_token(
    client, call, representative, clock, media_root
):
    """Submitting an incomplete application saves the draft (with its file) and shows the form again with
    the same token: the next file sent with it is stored beside the first, the first one again is not."""
    client.force_login(representative)
    token, data = _draft(client, call, attachment_title="Budget", action="submit")
    shown = client.post(reverse("grants:apply", args=[call.slug]), _with_file(data))
    assert shown.status_code in (400, 403)
    assert f'name="idempotency_key" value="{token}"' in shown.text
    again = {**data, "action": "save", "attachment_title": "Stadgar"}
    client.post(reverse("grants:apply", args=[call.slug]), _with_file(again, "stadgar.pdf"))
    assert list(ApplicationAttachment.objects.values_list("title", flat=True)) == ["Budget"]  # the same file
    two_pages = pdf(lambda writer: writer.add_blank_page(200, 200))
    other = SimpleUploadedFile("stadgar.pdf", two_pages, content_type="application/pdf")
    client.post(reverse("grants:apply", args=[call.slug]), {**again, "attachment": other})
    assert list(ApplicationAttachment.objects.values_list("title", flat=True)) == ["Budget", "Stadgar"]


def test_a_form_with_an_error_says_to_choose_the_file_again(client, call, representative, clock, media_root):
    """A browser never fills a file input again: the page says so, in the summary and at the field."""
    client.force_login(representative)
    _token, data = _draft(client, call, attachment_title="Budget", amount_requested="-5")
    response = client.post(reverse("grants:apply", args=[call.slug]), _with_file(data, "budget-2027.pdf"))
    assert response.status_code == 400
    assert not ApplicationAttachment.objects.exists()
    summary = response.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Välj filen igen" in summary and 'href="#id_attachment"' in summary
    assert "Du valde budget-2027.pdf, men en fil sparas inte när formuläret visas igen" in response.text
    # Without an error nothing is said: the file was stored.
    _token, data = _draft(client, call, attachment_title="Budget")
    response = client.post(reverse("grants:apply", args=[call.slug]), _with_file(data), follow=True)
    assert "Välj filen igen" not in response.text and ApplicationAttachment.objects.count() == 1
