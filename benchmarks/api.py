"""Speed of the API, printed: ``python benchmarks/api.py [--runs 30] [--waitress]``.

Posts the 350-word letter (benchmarks/brief-350.txt) to ``POST /api/v1/check`` and prints the
median and p95 answer time, next to the time of the analysis alone (``analyze``) and of the web
layer alone (the same request with the analysis replaced by a stored report). By default through the Flask test client; with ``--waitress`` over HTTP
on loopback against waitress (as ``briefcheck serve`` runs it). Target: median ≤ 150 ms.
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LETTER = HERE / "brief-350.txt"
TARGET_MS = 150


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--waitress", action="store_true", help="measure over HTTP against waitress on 127.0.0.1")
    args = parser.parse_args()

    from briefcheck.analyzer import analyze
    from briefcheck.config import Settings
    from briefcheck.formats import read_text
    from web import create_app, warm_up

    text = LETTER.read_text(encoding="utf-8")
    body = json.dumps({"text": text}).encode("utf-8")
    app = create_app(Settings())
    warm_up()

    if args.waitress:
        from waitress import create_server

        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        port = server.effective_port

        def post() -> tuple[int, bytes]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("POST", "/api/v1/check", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
            connection.close()
            return response.status, data
    else:
        client = app.test_client()

        def post() -> tuple[int, bytes]:
            response = client.post("/api/v1/check", data=body, content_type="application/json")
            return response.status_code, response.data

    status, data = post()  # warm-up: caches, first spelling check
    if status != 200:
        print(f"unexpected status {status}: {data[:200]!r}", file=sys.stderr)
        return 1
    findings = len(json.loads(data)["findings"])

    api, core = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        status, _ = post()
        api.append((time.perf_counter() - started) * 1000)
        assert status == 200
        started = time.perf_counter()
        analyze(read_text(text), Settings())
        core.append((time.perf_counter() - started) * 1000)

    # The web layer alone: the same request with the analysis replaced by a report made before.
    from web import service

    stored = analyze(read_text(text), Settings())
    real_check, service.check = service.check, lambda document, settings: stored
    layer = []
    try:
        for _ in range(args.runs):
            started = time.perf_counter()
            post()
            layer.append((time.perf_counter() - started) * 1000)
    finally:
        service.check = real_check

    words = len(text.split())
    api_median, core_median = statistics.median(api), statistics.median(core)
    how = "waitress on loopback" if args.waitress else "Flask test client"
    print(f"letter: {LETTER.name}, {words} words, {findings} findings; {args.runs} runs, {how}")
    print(f"POST /api/v1/check: median {api_median:.1f} ms, p95 {percentile(api, 95):.1f} ms "
          f"(target: median <= {TARGET_MS} ms: {'met' if api_median <= TARGET_MS else 'NOT met'})")
    print(f"analysis alone (analyze): median {core_median:.1f} ms, p95 {percentile(core, 95):.1f} ms")
    print(f"web layer alone (analysis replaced by a stored report): median {statistics.median(layer):.1f} ms, "
          f"p95 {percentile(layer, 95):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
