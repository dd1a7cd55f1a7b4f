#!/usr/bin/env python3
"""Soak test for schedd: the real daemon, 10,000 jobs, reloads, socket abuse, for MINUTES.

Run through scripts/soak.sh, which builds the binaries. Everything lands in --out:

  schedules.toml      the current generation of the generated config (scripts/soak/genconfig.py)
  runs.log            one line per run start, written by the jobs themselves (the ground truth)
  samples.csv         every 10 s: RSS, fds, threads, children, CPU, runs and lateness in the window,
                      reloads, `schedctl list` and garbage counts
  soak.svg            the curves (scripts/soak/plot.py)
  history.jsonl       every stable job's run history, fetched from the daemon at the end
  summary.txt         the verdict and the numbers behind it
  schedd.log          the daemon's own log

Verdict (exit 1 on any failure):
  - RSS and fd count must not grow after the warm-up (the first 40% of the run, at most 10 min):
    the median of the last fifth of the samples may exceed the median of the first fifth after the
    warm-up by at most max(4 MiB, 5%) for RSS and 8 descriptors for fds.
  - No stable job (every job but the churn slice) may lose a firing or fire twice: the run log must
    hold exactly the expected scheduled times inside the checked window, once each, and the
    daemon's history must record each of those runs.
  - Lateness p99 must not drift: p99 over the last third of the post-warm-up runs at most
    2 × p99 over the first third + 250 ms.
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genconfig  # noqa: E402
import plot  # noqa: E402

SAMPLE_SECONDS = int(os.environ.get("SOAK_SAMPLE_SECONDS", "10"))
RELOAD_SECONDS = int(os.environ.get("SOAK_RELOAD_SECONDS", "60"))


def parse_rfc3339(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def utc(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


# MARK: - The daemon


class Daemon:
    def __init__(self, args, config, log_path):
        self.args = args
        self.config = config
        self.log = open(log_path, "ab")
        self.process = None

    def start(self):
        command = [self.args.schedd] + [part.replace("{config}", self.config) for part in self.args.schedd_args]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, grace=30):
        if not self.alive():
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def proc_sample(pid):
    """RSS (KiB), open fds, threads, CPU seconds of `pid`; None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            status = dict(line.split(":", 1) for line in handle if ":" in line)
        rss = int(status["VmRSS"].split()[0])
        threads = int(status["Threads"].strip())
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(fields[11]) + int(fields[12])) / ticks
        return rss, fds, threads, cpu
    except (FileNotFoundError, ProcessLookupError, KeyError):
        return None


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return len(handle.read().split())
    except FileNotFoundError:
        return 0


# MARK: - Control socket


def request(socket_path, message, timeout=60):
    """One request line on a fresh connection; the decoded response."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(socket_path)
        connection.sendall(json.dumps(message).encode() + b"\n")
        buffer = b""
        while not buffer.endswith(b"\n"):
            chunk = connection.recv(1 << 20)
            if not chunk:
                break
            buffer += chunk
    return json.loads(buffer)


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}
        self.durations = []

    def add(self, name, amount=1):
        with self.lock:
            self.values[name] = self.values.get(name, 0) + amount

    def get(self, name):
        with self.lock:
            return self.values.get(name, 0)


def hammer_list(args, stop, counters):
    """`schedctl list --json` back to back (a 10,000-job listing each time), one per second."""
    while not stop.wait(1.0):
        started = time.monotonic()
        result = subprocess.run(
            [args.schedctl, "--socket", args.socket, "list", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )
        elapsed = time.monotonic() - started
        ok = result.returncode == 0 and result.stdout.lstrip().startswith(b"[")
        counters.add("list_ok" if ok else "list_failed")
        with counters.lock:
            counters.durations.append(elapsed)


GARBAGE = [
    lambda rng: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))) + b"\n",
    lambda rng: b'{"version":99,"command":"list"}\n',
    lambda rng: b'{"version":1,"command":"launch-missiles"}\n',
    lambda rng: b'{"version":1,"command":"history"}\n',
    lambda rng: b'{"version":1,"command":"pause","job":"no such job \\u0000"}\n',
    lambda rng: b'{"version":1,"command":"history","job":"cron_00001","limit":-5}\n',
    lambda rng: b"[" * 100_000 + b"\n",
    lambda rng: b'{"version":1,"command":"list"' + b" " * 200_000 + b"}\n",
    lambda rng: b"x" * (1 << 20),
    lambda rng: b'{"version":1,"comm',
    lambda rng: b"\xff\xfe\xfd\n",
    lambda rng: b'{"version":1,"command":"status"}\n' * 50,
    lambda rng: b"",
]


def hammer_garbage(args, stop, counters):
    """Malformed, oversized, truncated and pipelined requests, and idle connections."""
    rng = random.Random(7)
    idle = []
    while not stop.wait(0.2):
        try:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(5)
            connection.connect(args.socket)
            if rng.random() < 0.1:
                # Hold a silent connection for a few seconds.
                idle.append((time.monotonic() + rng.uniform(1, 5), connection))
            else:
                try:
                    connection.sendall(GARBAGE[rng.randrange(len(GARBAGE))](rng))
                    if rng.random() < 0.5:
                        connection.shutdown(socket.SHUT_WR)
                        while connection.recv(65536):
                            pass
                except OSError:
                    counters.add("garbage_reset")
                connection.close()
            counters.add("garbage_sent")
        except OSError:
            counters.add("garbage_connect_failed")
        now = time.monotonic()
        for entry in [entry for entry in idle if entry[0] <= now]:
            entry[1].close()
            idle.remove(entry)
    for _, connection in idle:
        connection.close()


def reloader(args, stop, counters, generation_box):
    while not stop.wait(RELOAD_SECONDS):
        generation_box[0] += 1
        genconfig.render(args.config, args.jobs, args.run_log, args.state_dir, args.socket, generation_box[0])
        result = subprocess.run(
            [args.schedctl, "--socket", args.socket, "reload"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=120,
        )
        counters.add("reload_ok" if result.returncode == 0 else "reload_failed")


# MARK: - The run log


class RunLog:
    """Reads run-log lines appended since the last call."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = b""

    def new_runs(self):
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except FileNotFoundError:
            return []
        self.offset += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        runs = []
        for line in lines:
            parts = line.decode(errors="replace").split()
            if len(parts) != 4:
                continue
            job, scheduled, run_id, started = parts
            try:
                runs.append((job, parse_rfc3339(scheduled), run_id, float(started)))
            except ValueError:
                continue
        return runs


# MARK: - Verdict


def expected_cron(spec, start, end):
    second, minute, step = spec
    times = []
    first_minute = int(start // 60) * 60
    moment = first_minute
    while moment <= end:
        candidate = moment + second
        if start <= candidate <= end and (candidate // 60) % 60 % step == minute:
            times.append(candidate)
        moment += 60
    return times


def expected_every(anchor, interval, start, end):
    """`anchor + k * interval` for k >= 1 inside [start, end]: an `every` job first fires one interval
    after its anchor."""
    k = max(1, -(-(start - anchor) // interval))
    times = []
    while anchor + k * interval <= end:
        times.append(anchor + k * interval)
        k += 1
    return times


def daemon_log_runs(path):
    """(job, run id) → scheduled time of every `run_started` event in the daemon's logfmt log."""
    runs = {}
    with open(path, errors="replace") as handle:
        for line in handle:
            if "event=run_started" not in line:
                continue
            fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
            try:
                runs[(fields["job"], fields["run"])] = parse_rfc3339(fields["scheduled"])
            except (KeyError, ValueError):
                continue
    return runs


def check_firings(runs, history, daemon_log, table, window_start, window_end):
    """Lost and doubled firings of stable jobs, from the run log and from the daemon's history."""
    by_job = {}
    problems = []
    doubled = 0
    for job, scheduled, run_id, _ in runs:
        by_job.setdefault(job, []).append((scheduled, run_id))
    for job, entries in by_job.items():
        seen = {}
        for scheduled, run_id in entries:
            if scheduled in seen:
                doubled += 1
                if doubled <= 10:
                    problems.append(f"doubled: {job} at {utc(scheduled)} (runs {seen[scheduled]} and {run_id})")
            seen[scheduled] = run_id
    lost = 0
    unexpected = 0
    checked = 0
    for job, (kind, spec) in table.items():
        times = sorted({scheduled for scheduled, _ in by_job.get(job, [])})
        inside = [t for t in times if window_start <= t <= window_end]
        if "cron" in spec or "every" in spec:
            if "cron" in spec:
                expected = expected_cron(spec["cron"], window_start, window_end)
            else:
                expected = expected_every(spec["anchor"], spec["every"], window_start, window_end)
            missing = sorted(set(expected) - set(inside))
            extra = sorted(set(inside) - set(expected))
            checked += len(expected)
            for t in missing:
                lost += 1
                if lost <= 10:
                    problems.append(f"lost: {job} ({kind}) expected at {utc(t)}")
            for t in extra:
                unexpected += 1
                if unexpected <= 10:
                    problems.append(f"unexpected: {job} ({kind}) fired for {utc(t)}")
    # History: every logged run of a stable job must appear in the daemon's record of runs: its
    # `run_started` log events for the whole soak, and `history` over the socket for the runs still
    # inside `history_max_age` (the last 4 minutes, with a margin).
    history_missing = 0
    if history is not None:
        recent = window_end + 60 - 240
        for job in table:
            logged = {run_id for scheduled, run_id in by_job.get(job, []) if scheduled >= recent}
            recorded = history.get(job, set())
            for run_id in logged - recorded:
                history_missing += 1
                if history_missing <= 5:
                    problems.append(f"history: run {run_id} of {job} ran but is not in the daemon's history")
    if daemon_log is not None:
        for job in table:
            for scheduled, run_id in by_job.get(job, []):
                if daemon_log.get((job, run_id)) != scheduled:
                    history_missing += 1
                    if history_missing <= 5:
                        problems.append(f"daemon log: run {run_id} of {job} ran but has no matching run_started")
    return {
        "checked": checked,
        "lost": lost,
        "unexpected": unexpected,
        "doubled": doubled,
        "history_missing": history_missing,
    }, problems


def lateness_text(values, p99_first, p99_last):
    if not values or p99_first is None or p99_last is None:
        return "n/a"
    return (
        f"p50 {percentile(values, 0.5):.1f}, p99 {percentile(values, 0.99):.1f}, max {max(values):.1f}; "
        f"p99 first third {p99_first:.1f}, last third {p99_last:.1f}"
    )


def growth(samples, column, warmup_end):
    after = [row for row in samples if row["elapsed_s"] >= warmup_end and row[column] is not None]
    if len(after) < 10:
        return None
    fifth = max(1, len(after) // 5)
    first = statistics.median(row[column] for row in after[:fifth])
    last = statistics.median(row[column] for row in after[-fifth:])
    return first, last


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--schedd", required=True)
    parser.add_argument("--schedctl", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--socket", help="default: a short path under /tmp (sun_path is 108 bytes)")
    parser.add_argument(
        "schedd_args",
        nargs="*",
        default=["--config", "{config}"],
        help="arguments for schedd; {config} is replaced by the config path",
    )
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    args.out = os.path.abspath(args.out)
    args.config = os.path.join(args.out, "schedules.toml")
    args.run_log = os.path.join(args.out, "runs.log")
    args.state_dir = os.path.join(args.out, "state")
    if not args.socket:
        args.socket = f"/tmp/schedd-soak-{os.getpid()}.sock"
    os.makedirs(args.state_dir, exist_ok=True)
    for stale in (args.run_log,):
        if os.path.exists(stale):
            os.remove(stale)

    generation = [0]
    genconfig.render(args.config, args.jobs, args.run_log, args.state_dir, args.socket, 0)
    table = genconfig.schedule_table(args.jobs, args.run_log)

    daemon = Daemon(args, args.config, os.path.join(args.out, "schedd.log"))
    pid = daemon.start()
    started = time.time()
    deadline = started + 60
    while not os.path.exists(args.socket):
        if not daemon.alive() or time.time() > deadline:
            print("soak: the daemon did not open its socket; see schedd.log", file=sys.stderr)
            daemon.stop()
            return 1
        time.sleep(0.1)
    loaded = time.time()
    print(f"soak: schedd pid {pid} up after {loaded - started:.1f}s with {args.jobs} jobs; "
          f"running {args.minutes:g} min, output in {args.out}", file=sys.stderr)

    stop = threading.Event()
    counters = Counters()
    workers = [
        threading.Thread(target=hammer_list, args=(args, stop, counters), daemon=True),
        threading.Thread(target=hammer_garbage, args=(args, stop, counters), daemon=True),
        threading.Thread(target=reloader, args=(args, stop, counters, generation), daemon=True),
    ]
    for worker in workers:
        worker.start()

    run_log = RunLog(args.run_log)
    all_runs = []
    samples = []
    columns = [
        "elapsed_s", "time_utc", "rss_kib", "fds", "threads", "children", "cpu_s", "runs",
        "lateness_p50_ms", "lateness_p99_ms", "lateness_max_ms", "reloads_ok", "reloads_failed",
        "list_ok", "list_failed", "list_p50_ms", "garbage_sent",
    ]
    csv_path = os.path.join(args.out, "samples.csv")
    end = loaded + args.minutes * 60
    died = False
    with open(csv_path, "w") as csv:
        csv.write(",".join(columns) + "\n")
        next_sample = loaded + SAMPLE_SECONDS
        while True:
            time.sleep(max(0, next_sample - time.time()))
            now = time.time()
            runs = run_log.new_runs()
            all_runs.extend(runs)
            lateness = [(started_at - scheduled) * 1000 for _, scheduled, _, started_at in runs]
            proc = proc_sample(pid)
            if proc is None or not daemon.alive():
                died = True
                print("soak: the daemon died", file=sys.stderr)
                break
            with counters.lock:
                durations, counters.durations = counters.durations, []
            row = {
                "elapsed_s": round(now - loaded, 1),
                "time_utc": utc(now),
                "rss_kib": proc[0],
                "fds": proc[1],
                "threads": proc[2],
                "children": children(pid),
                "cpu_s": round(proc[3], 2),
                "runs": len(runs),
                "lateness_p50_ms": None if not lateness else round(percentile(lateness, 0.5), 1),
                "lateness_p99_ms": None if not lateness else round(percentile(lateness, 0.99), 1),
                "lateness_max_ms": None if not lateness else round(max(lateness), 1),
                "reloads_ok": counters.get("reload_ok"),
                "reloads_failed": counters.get("reload_failed"),
                "list_ok": counters.get("list_ok"),
                "list_failed": counters.get("list_failed"),
                "list_p50_ms": None if not durations else round(statistics.median(durations) * 1000),
                "garbage_sent": counters.get("garbage_sent"),
            }
            samples.append(row)
            csv.write(",".join("" if row[c] is None else str(row[c]) for c in columns) + "\n")
            csv.flush()
            if now >= end:
                break
            next_sample += SAMPLE_SECONDS

    stop.set()
    for worker in workers:
        worker.join(timeout=130)
    time.sleep(2)
    all_runs.extend(run_log.new_runs())
    window_end = time.time() - 60

    # The daemon's own record of every stable job's runs.
    history = None
    if not died:
        history = {}
        with open(os.path.join(args.out, "history.jsonl"), "w") as out:
            for job in table:
                try:
                    response = request(args.socket, {"version": 1, "command": "history", "job": job, "limit": 1000})
                except (OSError, ValueError) as error:
                    print(f"soak: history of {job} failed: {error}", file=sys.stderr)
                    history = None
                    break
                result = response.get("result") or []
                out.write(json.dumps({"job": job, "runs": result}) + "\n")
                history[job] = {str(run.get("run_id")) for run in result}
    exit_status = daemon.stop()

    warmup = min(600, args.minutes * 60 * 0.4)
    window_start = loaded + max(60, warmup / 2)
    daemon_log = daemon_log_runs(os.path.join(args.out, "schedd.log"))
    firings, problems = check_firings(all_runs, history, daemon_log, table, window_start, window_end)
    failures = []
    if died:
        failures.append("the daemon died during the soak")
    rss = growth(samples, "rss_kib", warmup)
    fds = growth(samples, "fds", warmup)
    if rss and rss[1] - rss[0] > max(4096, rss[0] * 0.05):
        failures.append(f"RSS grew from {rss[0] / 1024:.1f} MiB to {rss[1] / 1024:.1f} MiB after the warm-up")
    if fds and fds[1] - fds[0] > 8:
        failures.append(f"open fds grew from {fds[0]} to {fds[1]} after the warm-up")
    late = sorted(
        ((scheduled, (started_at - scheduled) * 1000) for _, scheduled, _, started_at in all_runs
         if scheduled >= loaded + warmup),
    )
    third = len(late) // 3
    p99_first = percentile([value for _, value in late[:third]], 0.99)
    p99_last = percentile([value for _, value in late[-third:]], 0.99) if third else None
    if p99_first is not None and p99_last is not None and p99_last > 2 * p99_first + 250:
        failures.append(f"lateness p99 drifted from {p99_first:.0f} ms to {p99_last:.0f} ms")
    if firings["lost"]:
        failures.append(f"{firings['lost']} firings of stable jobs lost")
    if firings["unexpected"]:
        failures.append(f"{firings['unexpected']} firings of stable jobs at instants their schedule does not have")
    if firings["doubled"]:
        failures.append(f"{firings['doubled']} firings doubled")
    if firings["history_missing"]:
        failures.append(f"{firings['history_missing']} runs missing from the daemon's history")
    if history is None and not died:
        failures.append("could not read the daemon's history")

    plot.render(csv_path, os.path.join(args.out, "soak.svg"), title=f"schedd soak, {args.jobs} jobs")

    all_lateness = [value for _, value in late]
    summary = [
        f"soak {utc(loaded)} – {utc(time.time())}: {args.minutes:g} min, {args.jobs} jobs, {len(samples)} samples",
        f"runs logged: {len(all_runs)}; stable-job firings checked: {firings['checked']} "
        f"(window {utc(window_start)} – {utc(window_end)})",
        f"lost: {firings['lost']}, unexpected: {firings['unexpected']}, doubled: {firings['doubled']}, "
        f"missing from history: {firings['history_missing']}",
        "RSS after warm-up: " + ("n/a" if not rss else f"{rss[0] / 1024:.1f} → {rss[1] / 1024:.1f} MiB (median of first/last fifth)"),
        "fds after warm-up: " + ("n/a" if not fds else f"{fds[0]} → {fds[1]}"),
        "lateness (ms) after warm-up: " + lateness_text(all_lateness, p99_first, p99_last),
        f"reloads ok/failed: {counters.get('reload_ok')}/{counters.get('reload_failed')}; "
        f"schedctl list ok/failed: {counters.get('list_ok')}/{counters.get('list_failed')}; "
        f"garbage connections: {counters.get('garbage_sent')}",
        f"daemon exit status after SIGTERM: {exit_status}",
        "verdict: " + ("PASS" if not failures else "FAIL — " + "; ".join(failures)),
    ] + problems[:25]
    text = "\n".join(summary) + "\n"
    with open(os.path.join(args.out, "summary.txt"), "w") as handle:
        handle.write(text)
    print(text, end="")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
