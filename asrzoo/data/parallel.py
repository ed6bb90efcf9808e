"""An ordered, bounded parallel map for corpora that do not fit in memory."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

_worker_function: Callable | None = None


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start_worker(payload: bytes, parent: int) -> None:
    import dill

    global _worker_function
    _worker_function = dill.loads(payload)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int, every: float = 1.0) -> None:
    """End this worker when the process that started the pool is gone (killed with SIGKILL,
    say): a worker's parent is the fork server, so nothing else would tell it."""
    while process_alive(parent, own=True):
        time.sleep(every)
    os._exit(1)


def process_alive(pid: int, own: bool = False) -> bool:
    """Whether process ``pid`` runs (with ``own``: as this user; a pid reused by another user's
    process is then gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return not own
    return True


def _run_in_worker(chunk):
    return _worker_function(chunk)


class ChunkPool:
    """Applies ``function`` to chunks of items in ``workers`` processes.

    Results come back in input order, so the output does not depend on the number of workers;
    at most two chunks per worker are in flight, so a streamed corpus never piles up in memory.
    The function is sent with dill, so a plugin's closures and lambdas travel too. Workers are
    started by a fork server: forking the parent, which has torch's threads, is not safe.
    """

    def __init__(self, function: Callable[[list], list], workers: int):
        import dill

        self.function, self.workers = function, workers
        self.executor = None
        if workers > 1:
            self.executor = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker,
                initargs=(dill.dumps(function), os.getpid()),
            )

    def map(self, items: Iterable, chunk_size: int) -> Iterator[tuple[list, list]]:
        """Yields (chunk, function(chunk)) for consecutive chunks of ``items``."""
        iterator = iter(items)
        chunks = iter(lambda: list(islice(iterator, chunk_size)), [])
        if self.executor is None:
            for chunk in chunks:
                yield chunk, self.function(chunk)
            return
        in_flight: deque = deque()
        for chunk in chunks:
            in_flight.append((chunk, self.executor.submit(_run_in_worker, chunk)))
            if len(in_flight) >= 2 * self.workers:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
