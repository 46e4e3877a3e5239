"""Pages for ``make bench``: which pages are measured, their wrk rounds against the floor, and their
query counts."""

import json
import subprocess
import sys
import urllib.parse
from datetime import UTC, datetime

from bench import browser, common, measure
from bench.common import HOST, ROOT, log


def page_targets() -> list[tuple[str, str]]:
    """(name, path) of every public page to drive; pages whose app has no such URL yet are left out."""
    from django.urls import NoReverseMatch, reverse

    from meetings.models import Meeting

    upcoming = (
        Meeting.objects.filter(slug__startswith="bench-mote-", start__gt=datetime.now(UTC)).order_by("start").first()
    )
    agreement = "bench-overenskommelse"
    wanted = [
        ("floor", "bench:floor", {}, ""),
        ("home", "core:home", {}, ""),
        ("meetings list", "meetings:list", {}, ""),
        ("meeting page", "meetings:detail", {"slug": upcoming.slug if upcoming else "missing"}, ""),
        ("organisations p1", "organisations:directory", {}, ""),
        (
            "organisations search",
            "organisations:directory",
            {},
            "?q=" + urllib.parse.quote("idrottsföreningen"),
        ),
        ("agreement page", "agreements:detail", {"slug": agreement}, ""),
        ("signatories p1", "agreements:signatories", {"slug": agreement}, ""),
        (
            "signatories search",
            "agreements:signatories",
            {"slug": agreement},
            "?q=" + urllib.parse.quote("pensionärsföreningen"),
        ),
        ("signatories csv", "agreements:signatories_csv", {"slug": agreement}, ""),
        ("meetings feed", "meetings:feed", {}, ""),
        ("challenges list", "challenges:list", {}, ""),
        ("consultations list", "consultations:list", {}, ""),
        ("selection rounds", "elections:list", {}, ""),
        ("open data", "opendata:documentation", {}, ""),
        ("api meetings", "api:meeting-list", {}, ""),
        ("api organisations", "api:organisation-list", {}, ""),
        ("api organisations search", "api:organisation-list", {}, "?q=" + urllib.parse.quote("idrottsföreningen")),
        ("api signatories", "api:signatory-list", {"agreement_slug": agreement}, ""),
    ]
    targets = []
    for name, url_name, kwargs, query in wanted:
        try:
            targets.append((name, reverse(url_name, kwargs=kwargs) + query))
        except NoReverseMatch:
            log(f"  {name}: no URL {url_name} yet, left out")
    return targets


def bench_pages(port, targets, seconds, connections, warmup=20, rewarm=5):
    """wrk against each target, after one warm-up round over all of them (every gunicorn worker has
    imported its views, opened its connections and filled the page cache before anything counts), and
    ``rewarm`` GETs of the target one at a time just before its round (its entry may have expired since).

    On a shared machine the load moves during a run (the floor was seen at 1,300 and at 2,300 req/s
    in one run), so each target is paired with a floor measured right before it (half as long), and
    its ratio is to that floor. The floor's own row gives the median of those measurements."""
    results = []
    live = []
    for name, path in targets:
        status, _, body = browser.http_get(port, path)
        if status != 200:
            log(f"  {name}: GET {path} answered {status}, left out")
            results.append({"name": name, "path": path, "skipped": f"HTTP {status}"})
            continue
        for _ in range(warmup):  # templates, connections, the page cache
            browser.http_get(port, path)
        live.append((name, path, len(body)))
    for _name, path, _size in live:
        measure.run_wrk(f"http://{HOST}:{port}{path}", seconds=1, connections=connections)
    floor_path = next((path for name, path, _size in live if name == "floor"), None)
    floors = []
    for name, path, size in live:
        if name == "floor":
            continue
        floor = None
        if floor_path:
            floor = measure.run_wrk(
                f"http://{HOST}:{port}{floor_path}", seconds=max(2, seconds // 2), connections=connections
            )
            floors.append(floor)
        # Entries of a 60-second timeout have expired since the warm-up round (the targets before took
        # minutes): a few GETs one at a time rebuild it, as the steady traffic of a popular page keeps it,
        # so that the round measures the cached page and not 16 connections meeting a cold entry at once.
        for _ in range(rewarm):
            browser.http_get(port, path)
        result = measure.run_wrk(f"http://{HOST}:{port}{path}", seconds=seconds, connections=connections)
        result.update({"name": name, "path": path, "bytes": size})
        if floor and floor["rps"]:
            result["floor_rps"] = floor["rps"]
            result["ratio"] = result["rps"] / floor["rps"]
        results.append(result)
        log(
            f"  {name:22} {result['rps']:8.0f} req/s  p50 {result['p50_ms']:6.1f}  p95 {result['p95_ms']:6.1f}  "
            f"p99 {result['p99_ms']:6.1f} ms  errors {result['errors']}  (floor just before: "
            f"{result.get('floor_rps', 0):.0f} req/s, ratio {result.get('ratio', 0):.2f})"
        )
    if floors:
        ranked = sorted(floors, key=lambda f: f["rps"])
        median = {**ranked[len(ranked) // 2], "name": "floor", "path": floor_path, "bytes": 3, "ratio": 1.0}
        median["range_rps"] = [round(ranked[0]["rps"]), round(ranked[-1]["rps"])]
        results.insert(0, median)
        log(f"  floor: median {median['rps']:.0f} req/s of {len(floors)} (range {median['range_rps']})")
    return results


def query_counts(env, database_url, targets):
    """Queries per page at scale 0.001 (a second database) and at the run's scale."""
    parts = urllib.parse.urlsplit(database_url)
    small_name = parts.path.strip("/") + "_small"
    small_url = urllib.parse.urlunsplit(parts._replace(path="/" + small_name))
    common.ensure_database(small_url)
    small_env = {**env, "DATABASE_URL": small_url}
    log(f"  scale 0.001 in database {small_name}")
    common.manage(small_env, "migrate", "--noinput", "-v0", quiet=True)
    common.manage(small_env, "load_bench_data", "--scale", "0.001", quiet=True)
    paths = [path for name, path in targets if name != "floor"]
    out = {}
    for label, run_env in (("small", small_env), ("large", env)):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "querycount.py"), *paths],
            cwd=ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            log(f"  query count ({label}) failed: {proc.stderr[-1500:]}")
            return {}
        out[label] = json.loads(proc.stdout.strip().splitlines()[-1])
    counts = {}
    for name, path in targets:
        if name == "floor":
            continue
        small, large = out["small"].get(path, {}), out["large"].get(path, {})
        counts[name] = {"small": small.get("queries"), "large": large.get("queries"), "status": large.get("status")}
        log(f"  {name:22} {small.get('queries')} → {large.get('queries')} queries")
    return counts
