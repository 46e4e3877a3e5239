"""``make cluster``: what it says when something is missing, and an nginx configuration nginx accepts."""

import shutil
import subprocess
from pathlib import Path

import pytest

from bench import cluster


def test_without_postgresql_and_redis_it_says_what_to_set():
    problems = cluster.missing_requirements("sqlite:///db.sqlite3", "")
    assert any("DATABASE_URL must point at PostgreSQL" in p for p in problems)
    assert any("REDIS_URL must point at Redis" in p for p in problems)


def test_a_missing_nginx_or_pgbouncer_is_named_with_how_to_install_it(monkeypatch):
    monkeypatch.setattr(cluster, "find_program", lambda name: None if name == "pgbouncer" else "/usr/sbin/nginx")
    problems = cluster.missing_requirements("postgres://postgres@127.0.0.1:5432/x", "redis://127.0.0.1:6379/4")
    assert "pgbouncer is not installed: sudo apt-get install -y nginx pgbouncer" in problems
    assert not any(p.startswith("nginx") for p in problems)


def test_services_elsewhere_are_refused():
    problems = cluster.missing_requirements("postgres://u@db.example.se/x", "redis://127.0.0.1:6379/4")
    assert any("127.0.0.1 only" in p for p in problems)


@pytest.mark.skipif(not cluster.find_program("nginx"), reason="nginx is not installed (apt-get install nginx)")
def test_nginx_accepts_the_configuration_and_never_retries_a_post_that_reached_a_node(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster.common, "tempdir", lambda prefix: Path(tmp_path))
    node = cluster.Cluster(database_url="postgres://postgres@127.0.0.1:5432/x", redis_url="redis://127.0.0.1:6379/4")
    conf = node.nginx_conf(trust_forwarded=False)
    assert conf.count("server 127.0.0.1:") == cluster.NODES
    retry = next(line for line in conf.splitlines() if "proxy_next_upstream " in line)
    assert "non_idempotent" not in retry and "error" in retry
    (tmp_path / "nginx").mkdir()
    (tmp_path / "nginx" / "nginx.conf").write_text(conf)
    nginx = cluster.find_program("nginx")
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path / "nginx"), "-c", str(tmp_path / "nginx" / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shutil.rmtree(tmp_path / "nginx", ignore_errors=True)
