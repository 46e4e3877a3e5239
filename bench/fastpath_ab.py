"""The fast path against the normal path for the same cached addresses, in one process, interleaved: the
mean time per request (the lowest of several rounds, so that other load on the machine counts least) and
the Python function calls per request under cProfile (which does not depend on the load at all).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/fastpath_ab.py /api/v1/meetings/ /moten/kalender.ics

The normal path is the same request with one cookie the fast path does not know (so the view's own cache
answers it, as before the fast path covered it); the floor (``/bench/floor``) is measured beside them.
Production settings, the bench database, the page cache on Redis; nothing is served over HTTP.
"""

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, profiling  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("-n", type=int, default=200, help="requests per round")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    profiling.setup(*common.require_services())
    from django.test import Client

    def client(cookie: bool):
        made = Client(HTTP_HOST=common.HOST)
        if cookie:
            made.cookies["annan"] = "1"
        return made

    fast, normal = client(False), client(True)
    print("| path | floor µs | fast µs (÷ floor) | normal µs | calls floor / fast / normal | fast path answered |")
    print("|---|---:|---:|---:|---:|---|")
    for path in args.paths:
        targets = {"floor": (fast, "/bench/floor"), "fast": (fast, path), "normal": (normal, path)}
        for who, where in targets.values():
            for _ in range(3):  # built, kept, aliased
                response = who.get(where)
                assert response.status_code == 200, (where, response.status_code)
        answered = getattr(fast.get(path).wsgi_request, "_pagecache_fast", False)
        best = dict.fromkeys(targets, float("inf"))
        for _ in range(args.rounds):
            for name, (who, where) in targets.items():
                began = time.perf_counter()
                for _ in range(args.n):
                    who.get(where)
                best[name] = min(best[name], (time.perf_counter() - began) / args.n * 1e6)
        calls = {}
        for name in ("floor", "fast", "normal"):
            who, where = targets[name]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(50):
                who.get(where)
            profiler.disable()
            calls[name] = pstats.Stats(profiler).total_calls / 50
        print(
            f"| `{path}` | {best['floor']:.0f} | {best['fast']:.0f} ({best['floor'] / best['fast']:.2f}) | "
            f"{best['normal']:.0f} | {calls['floor']:.0f} / {calls['fast']:.0f} / {calls['normal']:.0f} | {'yes' if answered else 'no'} |"
        )


if __name__ == "__main__":
    main()
