"""``manage.py load_bench_data`` builds the benchmark set and is idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.management.commands.load_bench_data import Command as LoadBenchData
from organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _load(scale="0.001"):
    out = StringIO()
    # The bench app is installed only in the benchmark's processes (BENCH=true); call its command directly.
    call_command(LoadBenchData(), "--scale", scale, stdout=out)
    return out.getvalue()


def _counts():
    from agreements.models import Signatory
    from meetings.models import Meeting, Registration

    return (
        Organisation.objects.filter(slug__startswith="bench-").count(),
        Signatory.objects.filter(agreement__slug="bench-overenskommelse").count(),
        Meeting.objects.filter(slug__startswith="bench-").count(),
        Registration.objects.filter(meeting__slug__startswith="bench-").count(),
    )


def test_small_scale_creates_every_section_and_prints_progress():
    output = _load()

    organisations, signatories, meetings, registrations = _counts()
    assert organisations == 10
    assert signatories > 0
    assert meetings == 4
    assert registrations == 30
    assert "done" in output


def test_running_twice_keeps_the_same_rows():
    _load()
    before = _counts()
    first_pks = set(Organisation.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))

    output = _load()

    assert _counts() == before
    assert set(Organisation.objects.filter(slug__startswith="bench-").values_list("pk", flat=True)) == first_pks
    assert "already there, kept" in output


def test_a_new_scale_replaces_the_set_without_duplicates():
    _load("0.001")

    _load("0.002")

    assert _counts()[0] == 20
    assert _counts()[3] == 60


def test_bench_organisations_have_valid_numbers():
    from organisations.validators import normalise_orgnr

    _load()

    for number in Organisation.objects.filter(slug__startswith="bench-").values_list("organisation_number", flat=True):
        assert normalise_orgnr(number) == number
