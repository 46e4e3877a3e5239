"""``make bench``: throughput and latency of the public pages, registration POSTs, a sign-up storm
and the reminder fan-out, on PostgreSQL + Redis + gunicorn + a Celery worker + an SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 make bench
    make bench BENCH_ARGS=--quick          # the same, shorter (under 2 minutes)

Steps: migrate, ``load_bench_data --scale N`` (idempotent), collectstatic, start the SMTP sink,
a Celery worker and gunicorn (production settings, DEBUG off), warm up, then wrk at 16
connections against each page for a fixed time; registration POSTs with fresh e-mails; the
storm (1,000 simultaneous sign-ups for 100 places); the fan-out (10,000 due reminders sent by
the worker) beside raw smtplib to the same sink; query counts per page at scale 0.001 and N.
Results: bench/results/latest.json, latest.md, latest.png. All traffic goes to 127.0.0.1.
"""

import argparse
import atexit
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    common,  # noqa: E402
    measure,  # noqa: E402
)
from bench.common import HOST, ROOT, log  # noqa: E402
from bench.digest import bench_digest  # noqa: E402
from bench.fanout import bench_fanout  # noqa: E402
from bench.hosts import bench_hosts  # noqa: E402
from bench.pages import bench_pages, page_targets, query_counts  # noqa: E402
from bench.signups import bench_register, bench_register_paced, bench_storm  # noqa: E402

RESULTS = ROOT / "bench" / "results"

GOALS = {  # issue 10's table, raised by issue 29
    "page_ratio": 0.7,
    "api_ratio": 0.7,  # the open data API's lists (targets named "api …")
    "page_p99_ms": 50.0,
    "registration_rps": 200.0,
    "fanout_ratio": 0.7,
    "registration_cpu_ms": 10.0,  # over all processes, its confirmation sent included
    "registration_p99_ms": 100.0,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short run (under 2 minutes): 2 s per target, storm 200 for 20 places, 300 reminders",
    )
    parser.add_argument("--scale", type=float, default=None, help="data scale (default 1; 0.05 with --quick)")
    parser.add_argument(
        "--seconds", type=int, default=None, help="wrk duration per target (default 10; 3 with --quick)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--paced-rate",
        type=float,
        default=0.0,
        help="sign-ups per second sent at a fixed rate after the wrk round, for their latency "
        "(default: --paced-share of the rate the wrk round reached)",
    )
    parser.add_argument(
        "--paced-share",
        type=float,
        default=0.5,
        help="the fixed rate as a share of the wrk round's sign-ups per second (default 0.5; 0: no paced round)",
    )
    parser.add_argument("--storm", type=int, default=1000, help="simultaneous sign-ups in the storm")
    parser.add_argument("--storm-places", type=int, default=100)
    parser.add_argument(
        "--fanout", type=int, default=None, help="reminders in the fan-out (default 10,000; 1,000 quick)"
    )
    parser.add_argument(
        "--fanout-cap", type=int, default=None, help="seconds allowed per fan-out measurement (default 120; 30 quick)"
    )
    parser.add_argument(
        "--digest", type=int, default=None, help="followers whose weekly digest is built (default 10,000; 1,000 quick)"
    )
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (> 1: the gthread worker, keep-alive 5 s)"
    )
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument(
        "--only", default="", help="comma list of sections: pages,hosts,register,storm,fanout,digest,queries"
    )
    parser.add_argument("--no-load", action="store_true", help="skip migrate and load_bench_data")
    args = parser.parse_args()
    args.scale = args.scale if args.scale is not None else (0.05 if args.quick else 1.0)
    args.seconds = args.seconds or (2 if args.quick else 10)
    args.fanout = args.fanout or (300 if args.quick else 10_000)
    args.fanout_cap = args.fanout_cap or (30 if args.quick else 120)
    args.digest = args.digest or (1_000 if args.quick else 10_000)
    if args.quick:
        args.storm = min(args.storm, 200)
        args.storm_places = min(args.storm_places, 20)
    args.workers = args.workers or common.gunicorn_workers()
    args.sections = set(filter(None, args.only.split(","))) or {
        "pages",
        "hosts",
        "register",
        "storm",
        "fanout",
        "digest",
        "queries",
    }
    return args


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


# ---------------------------------------------------------------- data the run needs


# ---------------------------------------------------------------- sections


# ---------------------------------------------------------------- results


def write_results(results) -> Path:
    """latest.json/.md/.png; a --quick run writes quick-latest.*, a run of some sections (--only)
    partial-latest.*, and both leave the full figures alone."""
    from bench import report

    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "quick-latest" if results.get("quick") else ("partial-latest" if results.get("partial") else "latest")
    (RESULTS / f"{stem}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"{stem}.md").write_text(report.markdown(results))
    try:
        report.chart(results, RESULTS / f"{stem}.png")
    except Exception as exc:  # noqa: BLE001 - the chart is a nicety; the figures are written already
        log(f"chart not drawn: {exc}")
    log(f"results: {RESULTS / stem}.json, .md, .png")
    return RESULTS / f"{stem}.md"


def prepare(args, env):
    """Migrate and load the data set (unless --no-load), collect the static files, start Django here,
    and clear the page cache and the broker's queue. Returns the Celery app."""
    if not args.no_load:
        log("migrate")
        common.manage(env, "migrate", "--noinput", "-v0")
        log(f"load_bench_data --scale {args.scale}")
        common.manage(env, "load_bench_data", "--scale", str(args.scale))
    log("collectstatic")
    common.manage(env, "collectstatic", "--noinput", "-v0")
    setup_django()
    common.enter_first_region()
    from django.core.cache import cache

    from samverkan.celery import app

    cache.clear()
    app.control.purge()
    return app


def measure_sections(args, results, *, env, services, sink, web_port, smtp_port):
    """Run the sections asked for (--only) into ``results``."""
    run_id = results["run_id"]
    targets = page_targets()
    if "pages" in args.sections:
        log("pages")
        results["pages"] = bench_pages(
            web_port, targets, args.seconds, args.connections, warmup=5 if args.quick else 20
        )
    if "hosts" in args.sections:
        log("two regions, two hosts, the same paths")
        results["hosts"] = bench_hosts(web_port, args.seconds, args.connections)
    if "register" in args.sections:
        common.vacuum_analyze()
        log("registration POSTs")
        results["registration"] = bench_register(web_port, args.seconds, args.connections, run_id)
        rate = args.paced_rate or args.paced_share * results["registration"].get("rps", 0)
        if rate >= 1:
            results["registration"]["paced"] = bench_register_paced(web_port, rate, args.seconds, run_id)
    if "storm" in args.sections:
        common.vacuum_analyze()
        log("storm")
        results["storm"] = bench_storm(web_port, args.storm, args.storm_places, run_id)
    if "fanout" in args.sections:
        common.vacuum_analyze()
        log("fan-out")
        results["fanout"] = bench_fanout(services, sink, smtp_port, args.fanout, run_id, args.fanout_cap)
    if "digest" in args.sections:
        common.vacuum_analyze()
        log("weekly digest")
        results["digest"] = bench_digest(args.digest, run_id)
    if "queries" in args.sections:
        log("queries per page")
        results["queries"] = query_counts(env, env["DATABASE_URL"], targets)


def main():
    args = parse_args()
    database_url, redis_url = common.require_services()
    measure.ensure_wrk()
    common.ensure_database(database_url)
    began = time.monotonic()
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    workdir = common.tempdir("bench-")
    web_port, smtp_port = common.free_port(), common.free_port()
    env = common.production_env(database_url=database_url, redis_url=redis_url, web_port=web_port, smtp_port=smtp_port)
    os.environ.update(env)
    log(f"bench run {run_id}: scale {args.scale}, {args.seconds} s per target, logs in {workdir}")
    app = prepare(args, env)
    services = common.Services(env, workdir)
    atexit.register(services.stop_all)
    sink = services.start_sink(smtp_port)
    services.start_worker(concurrency=args.worker_concurrency)
    services.start_gunicorn(web_port, args.workers, args.threads)
    # The worker's start-up (imports, connections) would otherwise compete with the first targets.
    if not app.control.ping(timeout=30.0):
        log("  the Celery worker did not answer a ping within 30 s")
    log(
        f"gunicorn: {common.gunicorn_text(args.workers, args.threads)} on {HOST}:{web_port}; Celery worker: {args.worker_concurrency} "
        f"processes; SMTP sink on {HOST}:{smtp_port}; {os.cpu_count()} cores"
    )
    results = {
        "run_id": run_id,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "quick": args.quick,
        "partial": bool(args.only),
        "seconds_per_target": args.seconds,
        "connections": args.connections,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.threads,
        "celery_concurrency": args.worker_concurrency,
        "cores": os.cpu_count(),
        "goals": GOALS,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    measure_sections(args, results, env=env, services=services, sink=sink, web_port=web_port, smtp_port=smtp_port)
    results["total_seconds"] = round(time.monotonic() - began, 1)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    services.stop_all()
    print(write_results(results).read_text())
    log(f"done in {results['total_seconds']:.0f} s")


if __name__ == "__main__":
    main()
