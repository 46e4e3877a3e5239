"""What the fault drills share (``bench/drills.py`` and ``bench/cluster_drill.py``): the drill's meeting,
a browser-like sign-up, waiting for a condition, and the outbox rows of a meeting's confirmations."""

import time
from datetime import timedelta

from bench import browser

PERMANENTLY_REFUSED = "refused.for.good.{run_id}@example.se"  # one address per run


def drill_meeting(slug, capacity=None):
    from bench.signups import run_meeting

    return run_meeting(slug, capacity=capacity, start_in=timedelta(days=20), title=f"Drill: {slug}")


def sign_up(port, path, email):
    """GET the form and POST it, like a browser. Returns (status or error name, time)."""
    try:
        cookies, data = browser.browser_form(port, path)
        status, _, _ = browser.http_post(port, path, browser.fill(data, email), cookies, timeout=60)
        return status
    except Exception as exc:  # noqa: BLE001 - every failure is a figure here
        return type(exc).__name__


def wait_until(predicate, timeout, every=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def registration_emails(meeting):
    """Message-IDs of the confirmation e-mails of a meeting's registrations, by address."""
    from meetings.models import Registration
    from outbox.models import OutgoingEmail

    addresses = list(Registration.objects.filter(meeting=meeting).values_list("email", flat=True))
    rows = OutgoingEmail.objects.filter(to__in=addresses).exclude(kind__icontains="coordinator")
    return addresses, rows


def outbox_done(rows_query):
    from outbox.models import OutgoingEmail

    return not rows_query().filter(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]).exists()
