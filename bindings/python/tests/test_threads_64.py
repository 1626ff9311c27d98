"""64 threads x 1000 sends on one shared client: no error, every id distinct, one request per
send."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import SAMPLES

import ihuyi

THREADS = 64
SENDS_PER_THREAD = 1000


def test_64_threads_x_1000_sends_on_one_client() -> None:
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
        assert len(sandbox.requests()) == len(ids)
