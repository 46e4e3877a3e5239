"""Migration 0008: ballots kept in sessions by the former e-ID step-up are removed; other kept POSTs stay."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection

pytestmark = pytest.mark.django_db

migration = importlib.import_module("elections.migrations.0008_forget_suspended_ballots")


def _session(suspended) -> str:
    store = SessionStore()
    store["_auth_user_id"] = "7"
    store["eid_stepup_request"] = suspended
    store.create()
    return store.session_key


def test_kept_ballots_are_removed_and_other_kept_forms_stay():
    ballot = _session({"path": "/val/val-2026/rosta/12/", "request": {"POST": {"candidates": ["41", "43"]}}})
    signing = _session({"path": "/overenskommelser/samverkan/underteckna/", "request": {"POST": {"x": "1"}}})

    migration.forget_suspended_ballots(apps, SimpleNamespace(connection=connection))

    kept = SessionStore(session_key=ballot).load()
    assert kept == {"_auth_user_id": "7"}
    assert Session.objects.get(pk=ballot).get_decoded() == {"_auth_user_id": "7"}
    assert SessionStore(session_key=signing).load()["eid_stepup_request"]["path"].endswith("/underteckna/")
