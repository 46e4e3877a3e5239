"""What the benchmark measures with: CPU time per component read from ``/proc``, and the load generator wrk."""

import json
import os
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from bench.common import BENCH, log

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _component(comm: str, cmdline: str) -> str | None:
    if comm.startswith("postgres") or comm == "postmaster":
        return "postgresql"
    if comm.startswith("redis-server"):
        return "redis"
    if "gunicorn" in cmdline:
        return "gunicorn (Django)"
    if "celery" in cmdline and "worker" in cmdline:
        return "celery worker"
    if "smtp_sink" in cmdline:
        return "smtp sink"
    return None


def _cpu_by_pid() -> dict[int, tuple[str, float]]:
    """(component, user + system CPU seconds so far) of every process a run drives (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        name = _component(comm, cmdline)
        if name:
            fields = stat[stat.rindex(")") + 2 :].split()
            found[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS)  # utime, stime
    return found


class CpuMeter:
    """CPU seconds per component while it runs: /proc is read every ``interval`` seconds, so a
    process that ends meanwhile (a PostgreSQL backend whose connection was recycled) keeps what
    it had used by its last reading; wrk, a child of this process, is counted from its rusage."""

    def __init__(self, interval: float = 0.5):

        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start: dict[int, float] = {}
        self._last: dict[int, tuple[str, float]] = {}

    def __enter__(self):
        import resource

        self._start = {pid: cpu for pid, (_name, cpu) in _cpu_by_pid().items()}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._children = children.ru_utime + children.ru_stime
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self._last.update(_cpu_by_pid())

    def __exit__(self, *exc):
        import resource

        self._stop.set()
        self._thread.join()
        self._last.update(_cpu_by_pid())
        totals: Counter = Counter()
        for pid, (name, cpu) in self._last.items():
            totals[name] += cpu - self._start.get(pid, 0.0)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        totals["load generator (wrk)"] = children.ru_utime + children.ru_stime - self._children
        self.seconds = {name: round(value, 3) for name, value in totals.items() if value > 0}
        return False


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk missing: apt-get install -y wrk")
        result = subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, check=False)
        found = shutil.which("wrk")
        if found:
            return found
    print("bench: the load generator wrk is missing. Install it: sudo apt-get install -y wrk", file=sys.stderr)
    sys.exit(2)


def run_wrk(url: str, *, seconds: int, connections=16, threads=2, script="report.lua", env_extra=None) -> dict:
    """Run wrk and return requests/s, latency percentiles (ms), requests and errors."""
    env = dict(os.environ)
    env["BENCH_LUA_DIR"] = str(BENCH / "wrk")
    env.update(env_extra or {})
    args = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    args += ["-s", str(BENCH / "wrk" / script), url]
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False, timeout=seconds + 60)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise RuntimeError(f"wrk gave no result: {result.stdout[-800:]} {result.stderr[-800:]}")
