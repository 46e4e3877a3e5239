"""An admin form whose file the storage will not take saves nothing and comes back with a message, never a
500 (core/admin_input.py ``_storing_files``): here an action plan's document, on a disk that cannot store
and on a bucket that refuses."""

import pytest

from agreements.models import ActionPlan
from core.storage_errors import MESSAGE
from tests.factories import AgreementFactory
from tests.samples import PDF, upload
from tests.storage_faults import media_root_is_a_file, refusing_bucket  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PLAN_ADD = "/admin/agreements/actionplan/add/"


@pytest.mark.parametrize("fault", ["media_root_is_a_file", "refusing_bucket"])
def test_an_admin_upload_the_storage_refuses_is_a_message(coordinator_client, request, caplog, fault):
    request.getfixturevalue(fault)
    data = {
        "agreement": AgreementFactory().pk,
        "title": "Handlingsplan 2027–2029",
        "period_start": 2027,
        "period_end": 2029,
        "status": "draft",
        "document": upload("plan.pdf", PDF, "application/pdf"),
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }

    response = coordinator_client.post(PLAN_ADD, data, follow=True)

    assert response.status_code == 200 and response.redirect_chain[0] == (PLAN_ADD, 302)
    assert str(MESSAGE) in response.content.decode()
    assert not ActionPlan.objects.exists()
    assert any(r.levelname == "ERROR" and "admin:agreements.actionplan" in r.getMessage() for r in caplog.records)
    assert not any("plan.pdf" in r.getMessage() for r in caplog.records)
