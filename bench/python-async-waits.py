"""The Python client's asyncio row (bench/sections/python-client.ts).

Times CALLS concurrent ``AsyncClient.upload`` calls that are each answered 503 once, then 201,
by a scripted server on 127.0.0.1, so that each waits one back-off (BACKOFF_SECONDS) between
its two attempts; the floor is one such call alone. The loop's default executor has THREADS
workers: waits held in worker threads would take about CALLS / THREADS back-offs in all, waits
awaited in the loop about one. Prints one JSON line {"calls", "threads", "oneSeconds",
"manySeconds"} (medians of ROUNDS).

Usage: python3 bench/python-async-waits.py
"""

import asyncio
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clients" / "python"))
from s3_image_proxy import AsyncClient, RetryPolicy  # noqa: E402

CALLS = 40
THREADS = 4
ROUNDS = 5
BACKOFF_SECONDS = 0.2
BUSY = {"error": "STORAGE_UNAVAILABLE", "message": "busy", "requestId": "bench"}
UPLOADED = {"url": "http://cdn.test/bench.png", "key": "bench.png"}

_seen = set()
_lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        with _lock:
            first = body not in _seen
            _seen.add(body)
        status, payload = (503, BUSY) if first else (201, UPLOADED)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


async def _uploads(url: str, calls: int) -> float:
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(THREADS))
    # random() is 0.5: the first back-off is half of base_delay_seconds.
    policy = RetryPolicy(max_attempts=2, base_delay_seconds=2 * BACKOFF_SECONDS)
    client = AsyncClient(url, "bench-key", retry=policy, random=lambda: 0.5)
    started = time.monotonic()
    await asyncio.gather(*(client.upload(b"\x89PNG\r\n\x1a\n" + i.to_bytes(4, "big")) for i in range(calls)))
    return time.monotonic() - started


def _median(url: str, calls: int) -> float:
    times = []
    for _ in range(ROUNDS):
        _seen.clear()
        times.append(asyncio.run(_uploads(url, calls)))
    return statistics.median(times)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        one, many = _median(url, 1), _median(url, CALLS)
    finally:
        server.shutdown()
    print(json.dumps({"calls": CALLS, "threads": THREADS, "oneSeconds": one, "manySeconds": many}))


if __name__ == "__main__":
    main()
