"""Where the time of a request goes: in-process, production settings, the bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/profiling.py / /utmaningar/ --register

Runs after ``make bench`` has loaded the data (``load_bench_data``). For each path: the mean time of a
cached anonymous GET (Django's test client, the whole middleware stack, the page cache on Redis) and
the functions with the most cumulative time under ``cProfile``. ``--register`` does the same for
registration POSTs with fresh e-mail addresses to a meeting without a capacity limit (the rows it
creates are marked ``bench-profile-`` and removed at the end). Nothing here is served over HTTP.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

SLUG = "bench-profile-register"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="public paths to GET (anonymous, cached)")
    parser.add_argument("--register", action="store_true", help="profile registration POSTs")
    parser.add_argument(
        "--send", action="store_true", help="profile the worker's send task for confirmations (to a local SMTP sink)"
    )
    parser.add_argument("-n", type=int, default=200, help="requests per target (default 200)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per target")
    return parser.parse_args()


def setup(database_url, redis_url):
    env = common.production_env(database_url=database_url, redis_url=redis_url, web_port=8000, smtp_port=2525)
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from bench.common import enter_first_region

    enter_first_region()


def report(label: str, run, n: int, top: int) -> None:
    run()  # warm: imports, template loading, the page cache
    began = time.perf_counter()
    for _ in range(n):
        run()
    mean_ms = (time.perf_counter() - began) / n * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        run()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(top)
    text = re.sub(r"^.*?(?=\s+ncalls)", "", out.getvalue(), flags=re.S)
    text = text.replace(str(Path(sys.prefix)), "<venv>").replace(str(common.ROOT) + "/", "")
    print(f"\n## {label}: {mean_ms:.2f} ms per request (mean of {n}, without the profiler)\n")
    print("```")
    print(text.strip())
    print("```")


def main():
    args = parse_args()
    database_url, redis_url = common.require_services()
    setup(database_url, redis_url)
    from django.test import Client

    client = Client(HTTP_HOST=common.HOST)
    for path in args.paths:

        def get(path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        report(f"GET {path}", get, args.n, args.top)
    if args.register:
        profile_register(client, args.n, args.top)
    if args.send:
        profile_send(args.n, args.top)


def profile_register(client, n: int, top: int) -> None:
    from datetime import timedelta

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from meetings.models import Meeting, Registration
    from outbox.models import OutgoingEmail

    start = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    meeting, _ = Meeting.objects.update_or_create(
        slug=SLUG,
        defaults={
            "title": "Profilering",
            "start": start,
            "end": start + timedelta(hours=2),
            "format": Meeting.Format.PHYSICAL,
            "venue_name": "Regionens hus",
            "capacity": None,
            "status": Meeting.Status.PUBLISHED,
            "registration_opens": None,
            "registration_closes": None,
        },
    )
    url = reverse("meetings:register", kwargs={"slug": meeting.slug})
    browser = Client(HTTP_HOST=common.HOST, enforce_csrf_checks=True)
    form = browser.get(url)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.content).group(1).decode()

    def post():
        response = browser.post(
            url,
            {
                "csrfmiddlewaretoken": token,
                "name": "Profil Person",
                "email": f"bench-profile-{uuid.uuid4().hex[:12]}@example.org",
                "organisation_name": "Profilföreningen",
                "consent": "on",
            },
        )
        assert response.status_code == 302, response.content[-2000:]

    try:
        report(f"POST {url} (fresh e-mail each)", post, n, top)
    finally:
        emails = list(Registration.objects.filter(meeting=meeting).values_list("email", flat=True))
        Registration.objects.filter(meeting=meeting).delete()
        OutgoingEmail.objects.filter(to__in=emails).delete()
        meeting.delete()


def profile_send(n: int, top: int) -> None:
    """``outbox.tasks.send_email`` as the worker runs it (``apply``: Celery's task wrapper included),
    for confirmation e-mails of a real meeting, to the bench's SMTP sink on 127.0.0.1."""
    import subprocess
    import tempfile

    from django.conf import settings

    from meetings.models import Registration
    from meetings.services.common import email_registration
    from outbox import services as outbox_services
    from outbox.connection import worker_connection
    from outbox.models import OutgoingEmail
    from outbox.tasks import send_email

    port = common.free_port()
    state = Path(tempfile.mkdtemp(prefix="profile-sink-"))
    sink = subprocess.Popen(
        [
            sys.executable,
            str(common.BENCH / "smtp_sink.py"),
            "--port",
            str(port),
            "--log",
            str(state / "log"),
            "--state-dir",
            str(state),
        ]
    )
    try:
        common.wait_for_port(port)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = common.HOST, port, False
        people = list(
            Registration.objects.filter(meeting__slug__startswith="bench-mote-").select_related("meeting")[: 2 * n + 1]
        )
        queue_send, outbox_services._queue_send_on_commit = outbox_services._queue_send_on_commit, lambda ids: None
        try:  # rows only: the sends are what is measured
            rows = iter(
                [row for person in people for row in email_registration(person, template="confirmation", ics=True)]
            )
        finally:
            outbox_services._queue_send_on_commit = queue_send

        def send():
            row = next(rows)
            send_email.apply(args=[row.region_id, row.pk])

        try:
            report(f"send_email task, confirmation with .ics, to an SMTP sink (1 of {len(people)})", send, n, top)
        finally:
            worker_connection._close()
            OutgoingEmail.objects.filter(to__in=[p.email for p in people], kind="meetings.confirmation").delete()
    finally:
        sink.terminate()


if __name__ == "__main__":
    main()
