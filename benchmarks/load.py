"""Load test of ``briefcheck serve``: ``python benchmarks/load.py [--seconds 60] [--connections 50]``.

Starts ``briefcheck serve`` (waitress) as a subprocess on a free loopback port, warms it up, then
keeps ``--connections`` client connections (threads with HTTP/1.1 keep-alive, pure Python) busy for
``--seconds``, each posting the 350-word letter (benchmarks/brief-350.txt) to ``POST /api/v1/check``
as JSON. Prints total and failed requests (a status other than 200, or a connection error),
requests per second, latency median and p95, and the server's memory (VmRSS before and after the
load, the highest VmRSS seen, and VmHWM) with the growth in per cent.

Targets (issue 9): no failed requests, at least 20 requests per second on 2 cores, memory growth
under 10 %, server peak memory at most 800 MB. Figures go into BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LETTER = HERE / "brief-350.txt"
TARGET_RPS = 20
TARGET_GROWTH_PERCENT = 10
TARGET_PEAK_MB = 800


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_pids(pid: int) -> list[int]:
    """The server and its worker processes (``briefcheck serve --workers``)."""
    pids, index = [pid], 0
    while index < len(pids):
        for task in Path(f"/proc/{pids[index]}/task").glob("*"):
            try:
                pids += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
        index += 1
    return pids


def memory_kb(pid: int) -> dict[str, int]:
    """Memory of the server with its workers, in kB: VmRSS summed (counts shared pages once per
    process), Pss summed (shared pages divided among the processes: the honest total), and the
    server process's own VmHWM."""
    totals = {"VmRSS": 0, "Pss": 0, "VmHWM": 0}
    for number in tree_pids(pid):
        try:
            status = Path(f"/proc/{number}/status").read_text()
            rollup = Path(f"/proc/{number}/smaps_rollup").read_text()
        except OSError:
            continue  # a worker that just ended
        totals["VmRSS"] += int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1))
        totals["Pss"] += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE).group(1))
        if number == pid:
            totals["VmHWM"] = int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1))
    return totals


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


class Client(threading.Thread):
    """One keep-alive connection that posts the letter until the deadline."""

    def __init__(self, port: int, body: bytes, deadline: float):
        super().__init__(daemon=True)
        self.port, self.body, self.deadline = port, body, deadline
        self.latencies: list[float] = []
        self.failures: dict[str, int] = {}

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def run(self) -> None:
        connection = self._connect()
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        while time.perf_counter() < self.deadline:
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/check", body=self.body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                if response.status != 200 or b'"findings"' not in data:
                    self._fail(f"status {response.status}")
                else:
                    self.latencies.append(time.perf_counter() - started)
                if response.will_close:
                    connection.close()
                    connection = self._connect()
            except (OSError, http.client.HTTPException) as error:
                self._fail(type(error).__name__)
                connection.close()
                connection = self._connect()
        connection.close()

    def _fail(self, reason: str) -> None:
        self.failures[reason] = self.failures.get(reason, 0) + 1


def wait_until_ready(port: int, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"briefcheck serve stopped with exit code {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("briefcheck serve did not start in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (default: 60)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent client connections (default: 50)")
    parser.add_argument("--threads", type=int, default=None,
                        help="waitress threads (default: what `briefcheck serve` uses)")
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring (default: 20)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to this JSON file")
    args = parser.parse_args()

    body = json.dumps({"text": LETTER.read_text(encoding="utf-8")}).encode("utf-8")
    port = free_port()
    command = [sys.executable, "-m", "briefcheck.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    log = open(os.devnull, "wb")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
    try:
        started = time.perf_counter()
        wait_until_ready(port, process)
        print(f"server ready after {time.perf_counter() - started:.1f} s (pid {process.pid}, port {port})")
        warm = Client(port, body, deadline=float("inf"))
        connection = warm._connect()
        for _ in range(args.warmup):
            connection.request("POST", "/api/v1/check", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"warm-up request failed with status {response.status}")
        connection.close()
        before = memory_kb(process.pid)

        peak_rss = before["Pss"]
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak_rss
            while not stop.wait(0.25):
                peak_rss = max(peak_rss, memory_kb(process.pid)["Pss"])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        deadline = time.perf_counter() + args.seconds
        clients = [Client(port, body, deadline) for _ in range(args.connections)]
        load_started = time.perf_counter()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - load_started
        stop.set()
        sampler.join()
        after = memory_kb(process.pid)
        processes = len(tree_pids(process.pid))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

    latencies = [x for c in clients for x in c.latencies]
    failures: dict[str, int] = {}
    for client in clients:
        for reason, count in client.failures.items():
            failures[reason] = failures.get(reason, 0) + count
    failed = sum(failures.values())
    total = len(latencies) + failed
    rps = len(latencies) / elapsed
    growth = (after["Pss"] - before["Pss"]) / before["Pss"] * 100
    peak_mb = peak_rss / 1024
    figures = {
        "seconds": round(elapsed, 1), "connections": args.connections, "threads": args.threads or "default",
        "cpus": os.cpu_count(), "requests": total, "failed": failed, "failures": failures,
        "requests_per_second": round(rps, 1),
        "latency_median_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "latency_p95_ms": round(percentile(latencies, 95) * 1000) if latencies else None,
        "latency_p99_ms": round(percentile(latencies, 99) * 1000) if latencies else None,
        "processes": processes,
        "pss_before_mb": round(before["Pss"] / 1024), "pss_after_mb": round(after["Pss"] / 1024),
        "pss_peak_mb": round(peak_rss / 1024), "rss_sum_after_mb": round(after["VmRSS"] / 1024),
        "server_hwm_mb": round(after["VmHWM"] / 1024),
        "memory_growth_percent": round(growth, 1),
    }
    print(f"load: {figures['seconds']} s, {args.connections} connections, waitress threads: {figures['threads']}, "
          f"{figures['cpus']} CPUs, {processes} server processes")
    print(f"requests: {total} total, {failed} failed {failures or ''}")
    print(f"throughput: {rps:.1f} requests/s (target >= {TARGET_RPS})")
    print(f"latency: median {figures['latency_median_ms']} ms, p95 {figures['latency_p95_ms']} ms, "
          f"p99 {figures['latency_p99_ms']} ms")
    print(f"server memory (server and its worker processes, Pss): before {figures['pss_before_mb']} MB, "
          f"after {figures['pss_after_mb']} MB, peak {figures['pss_peak_mb']} MB; growth {growth:.1f} % "
          f"(target < {TARGET_GROWTH_PERCENT} %, peak <= {TARGET_PEAK_MB} MB); resident summed over the "
          f"processes {figures['rss_sum_after_mb']} MB, server process VmHWM {figures['server_hwm_mb']} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    ok = failed == 0 and rps >= TARGET_RPS and growth < TARGET_GROWTH_PERCENT and peak_mb <= TARGET_PEAK_MB
    print("result: " + ("all targets met" if ok else "NOT all targets met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
