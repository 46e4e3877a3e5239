"""What one sign-up costs in a gunicorn worker, request by request: its SQL statements and the CPU of the
request's thread (``bench/middleware.py``, switched on here with ``BENCH_REQUEST_COST``), beside the CPU the
worker process used over the same POSTs (``/proc``). Sequential POSTs to one sync worker, so the figures are
the request's own and do not depend on the machine's load (its wall-clock time does).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/request_cost.py [--posts 200] [--same-token]

``--same-token`` sends one form's idempotency token with every address, as ``make bench`` did until
2026-12-07. Needs the bench data (``make bench`` once, or ``load_bench_data``); no Celery worker is
started: the confirmations stay queued (the task is still sent to the broker, as in the bench).
"""

import argparse
import os
import secrets
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import browser, common  # noqa: E402
from bench.common import log  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def worker_pids(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--same-token", action="store_true", help="one form's token for every POST (the old bench)")
    args = parser.parse_args()
    database_url, redis_url = common.require_services()
    port = common.free_port()
    env = common.production_env(
        database_url=database_url,
        redis_url=redis_url,
        web_port=port,
        smtp_port=common.free_port(),
        extra={"BENCH_REQUEST_COST": "true"},
    )
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from django.urls import reverse

    from bench.signups import RUN_SLUG, run_meeting
    from meetings.models import Registration

    common.enter_first_region()
    meeting = run_meeting(RUN_SLUG + "cost", capacity=None, start_in=timedelta(days=40), title="Bench: request cost")
    path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    services = common.Services(env, common.tempdir("bench-cost-"))
    try:
        services.start_gunicorn(port, 1)
        (worker,) = worker_pids(services.procs["gunicorn"].pid)
        cookies, data = browser.browser_form(port, path)
        run = time.strftime("%H%M%S")
        fixed_key = secrets.token_urlsafe(16)  # one token for every POST, with --same-token

        def post(i: int):
            key = fixed_key if args.same_token else None
            status, headers, _ = browser.http_post(
                port, path, browser.fill(data, f"cost.{run}.{i}@example.se", key), cookies
            )
            assert status in (302, 303), status
            found = {name.lower(): value for name, value in headers}
            return int(found["x-bench-cpu-us"]), found["x-bench-queries"]

        booted, warm_us = process_cpu(worker), 0
        for i in range(args.warmup):
            warm_us += post(-1 - i)[0]
        warm_ms = 1000 * (process_cpu(worker) - booted)
        before, request_us, shapes = process_cpu(worker), 0, Counter()
        for i in range(args.posts):
            cpu_us, queries = post(i)
            request_us += cpu_us
            shapes[queries] += 1
        process_ms = 1000 * (process_cpu(worker) - before) / args.posts
        stored = Registration.objects.filter(meeting=meeting).count()
        log(
            f"{args.posts} POSTs after {args.warmup} warm-up ({stored} stored), token {'shared' if args.same_token else 'fresh'}"
        )
        log(
            f"  the first {args.warmup} POSTs of a new worker: {warm_ms:.0f} ms of its CPU ({warm_us / 1000:.0f} ms in the requests)"
        )
        log(
            f"  CPU in the request (its thread, middleware included): {request_us / args.posts / 1000:.2f} ms per sign-up"
        )
        log(
            f"  CPU of the worker process over the same POSTs:         {process_ms:.2f} ms per sign-up (tick {1000 / TICKS:.0f} ms)"
        )
        for queries, count in shapes.most_common():
            log(f"  {count:4d} × statements: {queries}")
    finally:
        services.stop_all()


if __name__ == "__main__":
    main()
