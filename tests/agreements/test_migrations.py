"""0002 moves board decisions into the private storage: names lose the "private/" prefix, files stay put.

The migration's own functions, forwards and back, on rows of today's schema (the column is the same):
migrating the whole project back to 0001 and forward again cost a minute of the suite for the same check.
"""

import datetime as dt
import importlib

from django.apps import apps

from agreements.models import Signatory
from tests.factories import SignatoryFactory

migration = importlib.import_module("agreements.migrations.0002_document_validators_private_storage")


def test_board_decision_names_follow_the_private_storage(db):
    old_name = "private/agreements/board-decisions/abc.pdf"
    signatory = SignatoryFactory(signed_on=dt.date(2026, 1, 1))
    Signatory.objects.filter(pk=signatory.pk).update(board_decision=old_name)
    without = SignatoryFactory(signed_on=dt.date(2026, 1, 2))

    migration.strip_prefix(apps, None)
    assert Signatory.objects.get(pk=signatory.pk).board_decision.name == "agreements/board-decisions/abc.pdf"
    assert Signatory.objects.get(pk=without.pk).board_decision.name == ""

    migration.add_prefix(apps, None)
    assert Signatory.objects.get(pk=signatory.pk).board_decision.name == old_name
    assert Signatory.objects.get(pk=without.pk).board_decision.name == ""
