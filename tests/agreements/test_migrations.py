"""0002 moves board decisions into the private storage: names lose the "private/" prefix, files stay put."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import AgreementFactory, OrganisationFactory

BEFORE = [("agreements", "0001_initial")]
AFTER = [("agreements", "0002_document_validators_private_storage")]


@pytest.mark.django_db(transaction=True)
def test_board_decision_names_follow_the_private_storage():
    agreement, organisation = AgreementFactory(), OrganisationFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_apps = executor.loader.project_state(BEFORE).apps
        Signatory = old_apps.get_model("agreements", "Signatory")
        signatory = Signatory.objects.create(
            agreement_id=agreement.pk,
            organisation_id=organisation.pk,
            signed_on=dt.date(2026, 1, 1),
            board_decision="private/agreements/board-decisions/abc.pdf",
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new_apps = executor.loader.project_state(AFTER).apps
        migrated = new_apps.get_model("agreements", "Signatory").objects.get(pk=signatory.pk)
        assert migrated.board_decision == "agreements/board-decisions/abc.pdf"
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        reverted = Signatory.objects.get(pk=signatory.pk)
        assert reverted.board_decision == "private/agreements/board-decisions/abc.pdf"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
