"""One client shared by many threads: all sends succeed with distinct ids, and the GIL is
released while a request waits on the network."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import SAMPLES, Handler, StartServer, reply

import ihuyi

THREADS = 16
SENDS_PER_THREAD = 200


def test_16_threads_x_200_sends_on_one_client() -> None:
    with ihuyi.Sandbox() as sandbox:
        client = sandbox.client("sms")
        start = threading.Barrier(THREADS)

        def worker(_: int) -> list[str]:
            start.wait()
            return [client.send(*SAMPLES["sms"]).id for _ in range(SENDS_PER_THREAD)]

        with ThreadPoolExecutor(THREADS) as pool:
            ids = [i for batch in pool.map(worker, range(THREADS)) for i in batch]

        assert len(ids) == THREADS * SENDS_PER_THREAD
        assert len(set(ids)) == len(ids)
        logged = sandbox.requests()
        assert len(logged) == len(ids)
        assert {r.id for r in logged} == set(ids)
        assert sandbox.accounts["sms"].balance == 100_000 - len(ids)


def test_the_gil_is_released_during_requests(http_server: StartServer) -> None:
    # Each answer takes 0.4 s. Holding the GIL, 8 threads would need 3.2 s in all.
    def slow(h: Handler) -> None:
        time.sleep(0.4)
        reply(200, "<SubmitResult><code>2</code><msg>提交成功</msg><smsid>1</smsid></SubmitResult>".encode())(h)

    client = ihuyi.Client(account="C80000001", apikey="k", base_url=http_server(slow))
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: client.send(*SAMPLES["sms"]), range(8)))
    elapsed = time.monotonic() - started
    assert [r.id for r in results] == ["1"] * 8
    assert elapsed < 1.6, f"8 parallel sends took {elapsed:.2f} s: the GIL was held"


def test_python_code_runs_while_a_request_waits(http_server: StartServer) -> None:
    def slow(h: Handler) -> None:
        time.sleep(0.5)
        reply(200, b"<SubmitResult><code>2</code><msg>ok</msg><smsid>5</smsid></SubmitResult>")(h)

    client = ihuyi.Client(account="C80000001", apikey="k", base_url=http_server(slow))
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.01)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        client.send(*SAMPLES["sms"])
    finally:
        done.set()
        counter.join()
    assert ticks >= 20
