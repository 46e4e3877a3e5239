"""The admin's history shows earlier versions and never writes one back (core/admin_input.py): django-simple-
history's "revert" saves every column of the old row, past what the admin keeps read-only and past the
services' state changes (a withdrawn signature made verified again, with no e-mail and no record of who)."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Signatory
from tests.factories import SignatoryFactory

pytestmark = pytest.mark.django_db


def test_posting_an_earlier_version_is_refused_and_changes_nothing(coordinator_client):
    signatory = SignatoryFactory(status=Signatory.Status.VERIFIED)
    signatory.status = Signatory.Status.WITHDRAWN
    signatory.withdrawn_on = dt.date(2026, 12, 1)
    signatory.save()
    first = Signatory.history.model.objects.filter(id=signatory.pk).earliest("history_date")
    url = reverse("admin:agreements_signatory_simple_history", args=[signatory.pk, first.history_id])

    page = coordinator_client.get(url)
    response = coordinator_client.post(url, {"status": Signatory.Status.VERIFIED, "signed_by_name": "X"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no button to revert
    assert response.status_code == 403
    signatory.refresh_from_db()
    assert signatory.status == Signatory.Status.WITHDRAWN
    assert Signatory.history.filter(id=signatory.pk).count() == 2


def test_every_history_admin_has_the_guard():
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert getattr(type(model_admin).history_form_view, "portal_guard", False), model_admin
