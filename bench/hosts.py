"""Two regions, two hosts, the same paths, under concurrent load: no host ever gets the other's page.

The first region (the data set, on 127.0.0.1) and the second (``load_bench_data`` makes it on
``halland.localhost`` with meetings under the same slugs) are asked for the same paths at once, from many
threads, through the page cache. Every answer must carry its own region and never the other's name.
"""

import http.client
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench.common import HOST, log

PATHS = ["/", "/moten/", "/moten/bench-mote-0001/", "/moten/kalender.ics", "/api/v1/meetings/"]
# Where the region's name is part of the answer (the HTML pages' title, the calendar's name).
NAMED = {"/", "/moten/", "/moten/bench-mote-0001/", "/moten/kalender.ics"}


def _regions():
    from bench.common import SECOND_REGION
    from core.models import Region
    from core.regions import all_regions

    with all_regions():
        first = Region.objects.order_by("pk").first()
        second = Region.objects.get(short_name=SECOND_REGION["short_name"])
    return {HOST: first.name, SECOND_REGION["host"]: second.name}


def bench_hosts(port: int, seconds: int, connections: int) -> dict:
    names = _regions()
    hosts = list(names)
    counts, lock = Counter(), threading.Lock()
    stop_at = time.monotonic() + seconds
    seen_foreign: list[str] = []

    def worker(n: int):
        rng = random.Random(n)
        conn = http.client.HTTPConnection(HOST, port, timeout=30.0)
        local = Counter()
        while time.monotonic() < stop_at:
            host, path = rng.choice(hosts), rng.choice(PATHS)
            try:
                conn.request("GET", path, headers={"Host": f"{host}:{port}"})
                response = conn.getresponse()
                body = response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                local["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30.0)
                continue
            local["requests"] += 1
            if response.status != 200:
                local[f"status {response.status}"] += 1
            other = next(name for h, name in names.items() if h != host)
            if other in body:
                local["other region's page"] += 1
                with lock:
                    seen_foreign.append(f"{host}{path}")
            elif path in NAMED and names[host] not in body:
                local["own region missing"] += 1
        conn.close()
        with lock:
            counts.update(local)

    began = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(worker, range(connections)))
    elapsed = time.monotonic() - began
    result = {
        "hosts": names,
        "paths": PATHS,
        "requests": counts["requests"],
        "rps": round(counts["requests"] / elapsed, 1),
        "other_region": counts["other region's page"],
        "own_missing": counts["own region missing"],
        "errors": counts["errors"] + sum(v for k, v in counts.items() if k.startswith("status")),
        "examples": sorted(set(seen_foreign))[:5],
    }
    log(
        f"  two hosts: {result['requests']} requests ({result['rps']}/s), the other region's page "
        f"{result['other_region']} times, own region missing {result['own_missing']}, errors {result['errors']}"
    )
    return result
