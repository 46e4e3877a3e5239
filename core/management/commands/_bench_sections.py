"""The meetings and agreements parts of ``load_bench_data`` (kept apart: those apps grow while
the benchmark is written; each section skips itself while its models are missing)."""

from django.apps import apps


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def delete_all(cmd):
    """Delete every bench row of meetings and agreements (used before rebuilding organisations)."""


def agreements(cmd, organisations, count):
    if _model("agreements.Signatory") is None:
        cmd.log("agreements: no models yet, skipped")
        return


def meetings(cmd, organisations, meeting_count, registration_count):
    if _model("meetings.Registration") is None:
        cmd.log("meetings: no models yet, skipped")
        return
