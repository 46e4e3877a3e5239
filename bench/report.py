"""The Markdown table and the PNG chart of a bench run (from the results dictionary)."""

from . import common


def _ok(flag):
    return "✅" if flag else "❌"


def markdown(r: dict) -> str:
    """The report as Markdown, section after section in the order of the run.

    Over 60 lines, kept whole: a flat template of the report (one line of text per line of code, no branching
    beyond a missing section), easier to read against its output than split into pieces."""
    goals = r["goals"]
    gunicorn = common.gunicorn_text(r["gunicorn_workers"], r.get("gunicorn_threads", 1))
    lines = [
        f"## Benchmark {r['date']} (scale {r['scale']}{', quick' if r.get('quick') else ''})",
        "",
        f"{r['cores']} cores; gunicorn {gunicorn} (DEBUG off); Celery worker "
        f"{r['celery_concurrency']} processes; wrk {r['connections']} connections × {r['seconds_per_target']} s "
        f"per target; PostgreSQL and Redis on 127.0.0.1. Whole run {r.get('total_seconds', '?')} s. "
        f"Load average (1/5/15 min) before {r.get('load_average_before')}, after {r.get('load_average_after')} "
        "(the machine is shared: other processes compete for the same cores).",
        "",
        "| target | req/s | ÷ floor | p50 ms | p95 ms | p99 ms | errors | queries 0.001 → N | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    queries = r.get("queries", {})
    for page in r.get("pages", []):
        if "skipped" in page:
            lines.append(f"| {page['name']} | – | – | – | – | – | – | – | left out: {page['skipped']} |")
            continue
        q = queries.get(page["name"])
        qtext = f"{q['small']} → {q['large']}" if q else "–"
        if page["name"] == "floor":
            spread = page.get("range_rps")
            goal = "reference: median of the floors measured before each target" + (
                f" ({spread[0]}–{spread[1]} req/s)" if spread else ""
            )
        else:
            same = q is not None and q["small"] == q["large"]
            ratio = (
                goals.get("api_ratio", goals["page_ratio"]) if page["name"].startswith("api ") else goals["page_ratio"]
            )
            met = page.get("ratio", 0) >= ratio and page["p99_ms"] < goals["page_p99_ms"]
            goal = f"{_ok(met)} ≥ {ratio}, p99 < {goals['page_p99_ms']:.0f}; queries {_ok(same)}"
        lines.append(
            f"| {page['name']} (`{page['path']}`) | {page['rps']:.0f} | {page.get('ratio', 0):.2f} | "
            f"{page['p50_ms']:.1f} | {page['p95_ms']:.1f} | {page['p99_ms']:.1f} | {page['errors']} | {qtext} | {goal} |"
        )
    reg = r.get("registration")
    if reg and "skipped" not in reg:
        met = reg["rps"] >= goals["registration_rps"] and reg["errors"] == 0
        lines.append(
            f"| registration POST | {reg['rps']:.0f} | {reg.get('ratio', 0) or 0:.2f} | {reg['p50_ms']:.1f} | "
            f"{reg['p95_ms']:.1f} | {reg['p99_ms']:.1f} | {reg['errors']} | – | {_ok(met)} ≥ "
            f"{goals['registration_rps']:.0f}/s, 0 errors ({reg['stored']} stored) |"
        )
        paced = reg.get("paced")
        if paced:
            met = paced["p99_ms"] < goals.get("registration_p99_ms", 100) and paced["errors"] == 0
            lines.append(
                f"| registration POST at a fixed {paced['rate']:.0f}/s (open loop) | {paced['rps']:.0f} | – | "
                f"{paced['p50_ms']:.1f} | {paced['p95_ms']:.1f} | {paced['p99_ms']:.1f} | {paced['errors']} | – | "
                f"{_ok(met)} p99 < {goals.get('registration_p99_ms', 100):.0f} ms ({paced['stored']} stored) |"
            )
    elif reg:
        lines.append(f"| registration POST | – | – | – | – | – | – | – | left out: {reg['skipped']} |")
    storm = r.get("storm")
    fan = r.get("fanout")
    lines += ["", "| scenario | result | goal |", "|---|---|---|"]
    hosts = r.get("hosts")
    if hosts:
        met = hosts["other_region"] == 0 and hosts["own_missing"] == 0 and hosts["errors"] == 0
        lines.append(
            f"| two regions, two hosts ({', '.join(hosts['hosts'])}), the same {len(hosts['paths'])} paths at once | "
            f"{hosts['requests']} requests ({hosts['rps']}/s): the other region's page {hosts['other_region']} "
            f"times, own region missing {hosts['own_missing']}, errors {hosts['errors']} | "
            f"{_ok(met)} never the other's page |"
        )
    if storm:
        met = (
            storm["confirmed"] == storm["places"]
            and storm["waitlisted"] == storm["people"] - storm["places"]
            and storm["errors"] == 0
        )
        lines.append(
            f"| storm: {storm['people']} simultaneous sign-ups, {storm['places']} places | "
            f"{storm['confirmed']} confirmed, {storm['waitlisted']} waitlisted, {storm['errors']} errors "
            f"in {storm['seconds']} s | {_ok(met)} exactly {storm['places']} / {storm['people'] - storm['places']} / 0 |"
        )
    if fan:
        w, raw, b = fan["worker"], fan["raw"], fan.get("batch")
        met = w["ratio"] >= goals["fanout_ratio"] and w["duplicates"] == 0 and w["lost"] == 0
        lines.append(
            f"| fan-out: {w['messages']} due reminders via the Celery worker ({w['mode']}) | "
            f"{w['msgs_per_s']:.1f} msg/s ({w['delivered']} delivered in {w['seconds']} s"
            f"{'' if w.get('complete', True) else ', capped: ' + str(w['planned']) + ' planned'}); "
            f"{w['duplicates']} duplicates, {w['lost']} lost | {_ok(met)} ÷ raw = {w['ratio']:.2f} (≥ "
            f"{goals['fanout_ratio']}), 0 / 0 |"
        )
        if b:
            met = b["ratio"] >= goals["fanout_ratio"] and b["duplicates"] == 0 and b["lost"] == 0
            lines.append(
                f"| fan-out: {b['messages']} outbox rows via {b['mode']} | {b['msgs_per_s']:.0f} msg/s "
                f"({b['delivered']} delivered in {b['seconds']} s); {b['duplicates']} duplicates, {b['lost']} lost | "
                f"{_ok(met)} ÷ raw = "
                f"{b['ratio']:.2f} |"
            )
        lines.append(
            f"| raw smtplib, one connection, same sink | {raw['msgs_per_s']:.0f} msg/s ({raw['seconds']} s); "
            f"{raw['duplicates']} duplicates, {raw['lost']} lost | reference |"
        )
    digest = r.get("digest")
    if digest:
        lines.append(
            f"| weekly digest: {digest['followers']} followers of an area, a meeting published in it | "
            f"{digest['notifications']} notifications in {digest['notify_seconds']} s; {digest['digests']} digests "
            f"built and handed to the outbox in {digest['seconds']} s ({digest['digests_per_s']}/s), "
            f"{digest['outbox_rows']} rows | {_ok(digest['digests'] == digest['followers'] == digest['outbox_rows'])} "
            f"one digest and one outbox row per follower |"
        )
    cpu = (reg or {}).get("cpu_ms_per_registration")
    if cpu:
        parts = ", ".join(f"{name} {value:.1f}" for name, value in sorted(cpu.items(), key=lambda kv: -kv[1]))
        total = sum(cpu.values())
        goal = goals.get("registration_cpu_ms", 10)
        lines += [
            "",
            f"CPU per stored registration, its confirmation e-mail sent included: {parts}; total {total:.1f} ms. "
            f"On {r.get('cores', '?')} cores that allows at most {1000 * (r.get('cores') or 1) / total:.0f} sign-ups/s. "
            f"{_ok(total <= goal)} ≤ {goal:.0f} ms.",
        ]
    lines += [
        "",
        "Reproduce: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 "
        "make bench` (`BENCH_ARGS=--quick` for a short run).",
        "",
    ]
    return "\n".join(lines)


def chart(r: dict, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pages = [p for p in r.get("pages", []) if "rps" in p]
    names = [p["name"] for p in pages]
    values = [p["rps"] for p in pages]
    reg = r.get("registration")
    if reg and "rps" in reg:
        names.append("registration POST")
        values.append(reg["rps"])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5.5), gridspec_kw={"width_ratios": [3, 1]})
    floor = next((p["rps"] for p in pages if p["name"] == "floor"), None)
    colors = ["#888888" if n == "floor" else "#1f6f8b" for n in names]
    ax1.barh(names[::-1], values[::-1], color=colors[::-1])
    if floor:
        ax1.axvline(
            floor * r["goals"]["page_ratio"],
            color="#c0392b",
            linestyle="--",
            label=f"{r['goals']['page_ratio']} of the floor",
        )
        ax1.legend(loc="lower right")
    ax1.set_xlabel("requests/s (wrk, 16 connections)")
    ax1.set_title(f"Pages, scale {r['scale']}")
    fan = r.get("fanout")
    if fan:
        labels = ["raw smtplib", "worker (plan_reminders)"]
        rates = [fan["raw"]["msgs_per_s"], fan["worker"]["msgs_per_s"]]
        if fan.get("batch"):
            labels.append("worker (send_email_batch)")
            rates.append(fan["batch"]["msgs_per_s"])
        ax2.bar(labels, rates, color=["#888888", "#1f6f8b", "#4a9d5b"][: len(rates)])
        ax2.set_ylabel("messages/s")
        ax2.set_title(f"Fan-out, {fan['worker']['messages']} messages")
        ax2.tick_params(axis="x", rotation=20)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
