"""Index reports on a Ray cluster: Ray tasks read, clean, chunk and embed batches of reports, and the
driver (`qa.indexing.refresh.refresh`) decides what to index and saves the index as a local run does.

Each worker process builds the embedder and chunker once and keeps them for every task it runs. A
task whose worker dies is run again by Ray; a report that keeps killing its worker is skipped with
the reason, like a report that cannot be read.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable, Iterator

from qa.config import Settings
from qa.errors import ConfigError
from qa.indexing.embed import Embedder, make_embedder
from qa.indexing.refresh import Job, Outcome, RefreshSummary, index_reports
from qa.reports.chunk import Chunker, make_chunker
from qa.timing import Timings

# Reports in one task: enough to keep the embedder's batches full, few enough that a retried task
# repeats little work.
REPORTS_PER_TASK = 8
# Runs of a task in all when its worker dies (Ray's retries of system failures).
TRIES = 4
# Tasks queued per CPU of the cluster, so that no worker waits between tasks.
QUEUED_PER_CPU = 2
LOCAL = "local"
# How long to wait for a cluster's head to answer before saying it cannot be reached.
CONNECT_SECONDS = 10

# This worker process's models, by the settings and threads they were made with.
_models: dict[tuple[Settings, int], tuple[Chunker, Embedder]] = {}


class RayIndexer:
    """An `Indexer` that runs on a Ray cluster at `address` ("local": start one on this machine;
    "auto": the cluster `ray start` made here; else HOST:PORT or ray://HOST:PORT)."""

    def __init__(self, settings: Settings, address: str = LOCAL, cpus_per_task: int = 1) -> None:
        self.settings = settings
        self.address = address or LOCAL
        self.cpus_per_task = cpus_per_task

    def __call__(self, jobs: Iterable[Job], summary: RefreshSummary) -> list[Outcome]:
        ray = _import_ray()
        started = not ray.is_initialized()
        if started:
            self._connect(ray)
        try:
            return self._run(ray, jobs, summary)
        finally:
            if started:
                ray.shutdown()

    def _connect(self, ray) -> None:
        _check_reachable(self.address)
        try:
            ray.init(address=self.address, include_dashboard=False, logging_level=logging.WARNING,
                     log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise ConfigError(f"cannot reach the Ray cluster at {self.address}: {error}") from None

    def _run(self, ray, jobs: Iterable[Job], summary: RefreshSummary) -> list[Outcome]:
        task = ray.remote(num_cpus=self.cpus_per_task, max_retries=TRIES - 1)(index_batch)
        settings = ray.put(self.settings)
        queued = QUEUED_PER_CPU * max(1, int(ray.cluster_resources().get("CPU", 1)) // self.cpus_per_task)
        done: dict[int, list[Outcome]] = {}
        running: dict = {}  # task -> (position of its first job, its jobs)
        workers: set[tuple[str, int]] = set()
        tasks = loads = reports = 0

        def submit(first: int, batch: list[Job]) -> None:
            nonlocal tasks
            running[task.remote(settings, batch, self.cpus_per_task)] = (first, batch)
            tasks += 1

        def collect() -> None:
            nonlocal loads
            [ready], _ = ray.wait(list(running), num_returns=1)
            first, batch = running.pop(ready)
            try:
                outcomes, seconds, worker, loaded = ray.get(ready)
            except _worker_failures(ray) as error:
                if len(batch) > 1:  # find the report that kills its worker: each alone
                    for n, job in enumerate(batch):
                        submit(first + n, [job])
                else:
                    done[first] = [Outcome(reason=f"its worker died in all {TRIES} tries ({type(error).__name__})")]
                return
            done[first] = outcomes
            workers.add(worker)
            loads += loaded
            for name, value in seconds.items():
                summary.timings.seconds[name] += value

        for first, batch in _batches(jobs, REPORTS_PER_TASK):
            while len(running) >= queued:
                collect()
            submit(first, batch)
            reports += len(batch)
        while running:
            collect()
        summary.cluster = {"address": self.address, "nodes": len({node for node, _ in workers}),
                           "workers": len(workers), "model_loads": loads, "tasks": tasks,
                           "reports": reports}
        return [outcome for first in sorted(done) for outcome in done[first]]


def index_batch(settings: Settings, jobs: list[Job], threads: int) -> tuple[list[Outcome], dict, tuple, bool]:
    """A Ray task: index `jobs` with this worker's models. Returns the outcomes, the seconds by
    stage, the worker (node, pid) and whether the models were built for this task."""
    import ray

    key = (settings, threads)
    loaded = key not in _models
    if loaded:
        embedder = make_embedder(settings, threads=threads)
        _models[key] = make_chunker(settings, embedder), embedder
    chunker, embedder = _models[key]
    timings = Timings()
    outcomes = index_reports(jobs, chunker, embedder, timings)
    worker = (ray.get_runtime_context().get_node_id(), os.getpid())
    return outcomes, dict(timings.seconds), worker, loaded


def _batches(jobs: Iterable[Job], size: int) -> Iterator[tuple[int, list[Job]]]:
    batch: list[Job] = []
    first = 0
    for position, job in enumerate(jobs):
        if not batch:
            first = position
        batch.append(job)
        if len(batch) == size:
            yield first, batch
            batch = []
    if batch:
        yield first, batch


def _worker_failures(ray) -> tuple[type[Exception], ...]:
    """What `ray.get` raises when a task's worker or node died in every try."""
    errors = ray.exceptions
    return tuple(getattr(errors, name) for name in ("WorkerCrashedError", "NodeDiedError", "OutOfMemoryError")
                 if hasattr(errors, name))


def _check_reachable(address: str) -> None:
    """Refuse at once a HOST:PORT nothing answers on (Ray itself retries for minutes)."""
    host, _, port = address.rpartition(":")
    if "://" in address or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise ConfigError(f"cannot reach the Ray cluster at {address}: {error.strerror or error}") from None


def _import_ray():
    try:
        import ray
    except ImportError:
        raise ConfigError("indexing on Ray needs the ray package: pip install 'qa[ray]'") from None
    return ray
