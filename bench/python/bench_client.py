"""Load driver for two Python surfaces, the twin of examples/rust/bench_client.rs.

    python bench_client.py binding BASE_URL THREADS SECONDS   the ihuyi package (PyO3), one
                                                              client shared by every thread
    python bench_client.py demo BASE_URL THREADS SECONDS      written the way the vendor's Python
                                                              demo is: http.client, a new
                                                              connection per send, urlencode,
                                                              the plain key, a regex over the XML

Prints one JSON line: sends, errors, seconds, rate, p50/p99 latency (microseconds).
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
from typing import Callable

ACCOUNT = "C80000001"
APIKEY = "8f14e45fceea167a5a36dedd4bea2543"
MOBILE = "13800138000"
CONTENT = "您的验证码是:1234。【互亿无线】"
SUBMIT_PATH = "/webservice/sms.php?method=Submit"
CODE = re.compile(r"<code>(\d+)</code>")
SMSID = re.compile(r"<smsid>(\d+)</smsid>")


def binding_sender(base_url: str) -> Callable[[], bool]:
    import ihuyi

    client = ihuyi.Client(product="sms", account=ACCOUNT, apikey=APIKEY, base_url=base_url)

    def send() -> bool:
        try:
            client.send(MOBILE, CONTENT)
            return True
        except ihuyi.IhuyiError:
            return False

    return send


def demo_sender(base_url: str) -> Callable[[], bool]:
    url = urllib.parse.urlsplit(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80

    def send() -> bool:
        # As in the vendor's demo: a connection per message, closed after the answer.
        params = urllib.parse.urlencode(
            {"account": ACCOUNT, "password": APIKEY, "content": CONTENT, "mobile": MOBILE}
        )
        headers = {"Content-type": "application/x-www-form-urlencoded", "Accept": "text/plain"}
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            conn.request("POST", SUBMIT_PATH, params, headers)
            answer = conn.getresponse().read().decode("utf-8")
        except OSError:
            return False
        finally:
            conn.close()
        code = CODE.search(answer)
        return code is not None and code.group(1) == "2" and SMSID.search(answer) is not None

    return send


def main() -> None:
    if len(sys.argv) != 5 or sys.argv[1] not in ("binding", "demo"):
        sys.exit("usage: bench_client.py binding|demo BASE_URL THREADS SECONDS")
    surface, base_url = sys.argv[1], sys.argv[2]
    threads, seconds = int(sys.argv[3]), float(sys.argv[4])
    send = (binding_sender if surface == "binding" else demo_sender)(base_url)
    latencies: list[list[int]] = [[] for _ in range(threads)]
    errors = [0] * threads
    deadline = time.monotonic() + seconds

    def work(i: int) -> None:
        mine = latencies[i]
        clock = time.perf_counter_ns
        while time.monotonic() < deadline:
            t = clock()
            if send():
                mine.append((clock() - t) // 1000)
            else:
                errors[i] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    every = sorted(x for per in latencies for x in per)

    def pct(p: float) -> int:
        return every[min(int(len(every) * p), len(every) - 1)] if every else 0

    name = "python" if surface == "binding" else "python-demo"
    print(
        json.dumps(
            {
                "surface": name,
                "threads": threads,
                "sends": len(every),
                "errors": sum(errors),
                "seconds": round(elapsed, 3),
                "rate": round(len(every) / elapsed, 1),
                "p50_us": pct(0.50),
                "p99_us": pct(0.99),
            }
        )
    )


if __name__ == "__main__":
    main()
