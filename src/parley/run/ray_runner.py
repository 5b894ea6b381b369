"""The same pure analysis as one streaming Ray Data pipeline: on this machine or on a cluster.

    report = ray_ingest(["crawl/"], store=store, address="auto")    # into the store, on a cluster node
    report = ray_ingest(["crawl/"], out="docs/", actors=64)                     # Parquet, by the workers

The pipeline (see `shards.py` for what is read where):

    read_binary_files -> flat_map(Parley's readers on the bytes, prepare) --+
    read_parquet(article columns) -> map_batches(rows, prepare) ------------+-> map_batches(RayAnalyzer,
    from_items(stdin, URLs: read in the driver) ----------------------------+   one ActorPoolStrategy)
        -> into the store: streamed to the driver, written there by the one writer (`store_documents`)
        -> --out: written as Parquet by the workers (`ray_sink.DocumentSink`), published when complete

One actor pool serves the whole run: each actor loads the spaCy model once and calls the very
`analyze_articles` the local engine calls. Execution streams: the driver holds a few batches,
never the dataset. Reading and cleaning tasks ask for no CPU of their own (`READ_CPUS`) so that
the actors, one CPU each, can take every core and the reads still run beside them; analysis is
where the time goes. Into a store, order is kept (`preserve_order`) so the store ends up as the
local engine leaves it; with inputs of several kinds (files, Parquet, stdin/URLs) each kind keeps
its order but the kinds interleave. A skip (a broken line, a binary file, an oversize text, an
analysis error) is a row like any other and is counted with its input and reason, as locally.
An actor that dies is restarted by Ray and its batch retried, so nothing is lost or doubled.

As in the local engine, articles already in the store are not analysed again (a rerun after a
killed ingest picks up where it stopped): the store's ids are handed to the actors once, as one Ray
object, and an actor passes a known article on as a row saying so. `--out` never deduplicates.

Ray is an optional extra (`pip install 'parley[ray]'`): without it, `EngineUnavailable` says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..document import Document
from ..errors import ParleyError
from ..ingest.records import IngestOptions, Skipped
from .ingest import IngestReport, store_documents
from .pool import default_workers
from .shards import Plan, article_of, driver_rows, file_rows, parquet_rows, plan_sources

#: Articles per `map_batches` call inside an actor: what `nlp.pipe` batches at once.
BATCH_SIZE = 8
#: Bytes per block, so per actor task (Ray's default is 128 MB): a file's articles would come as one
#: block, which one actor analyses alone (a JSON Lines shard of 10,000 articles: one actor for
#: all), and results stream by blocks. Blocks of about ten articles (their JSON, a few KB each)
#: spread the work, stream it, and leave a tail of one block at most. (`repartition` would say it
#: in rows, but its tasks ask for a CPU, which never comes while the actors hold every core.)
BLOCK_BYTES = 48 * 1024
#: CPUs a reading/cleaning or writing task asks for: none, so that it runs beside the actors.
READ_CPUS = 0
#: ... and so Ray would run every such task at once, each in a new worker process (924 files:
#: 80 processes on 2 cores): they are capped at one per this many actors, two at least.
ACTORS_PER_READ = 4
#: The reason a row gives for an article the store already holds: counted as a duplicate, not a skip.
ALREADY_STORED = "already stored"
#: Names a flag file: the first actor to see it removes it and dies mid-batch (tests only).
FAULT_ENV = "PARLEY_RAY_FAULT"


class EngineUnavailable(ParleyError):
    """The analysis engine asked for cannot run here (Ray not installed, cluster unreachable)."""


@dataclass
class RayStats:
    """Timings of a run beyond its documents: Ray's start and the first result (actors' start-up)."""

    connect_s: float = 0.0
    first_result_s: float | None = None
    actors: int = 0
    out: dict[str, int] | None = None  # with `out`: {"documents": n, "files": n} written


def require_ray() -> Any:
    """The `ray` module with Ray Data, or a clear error saying how to install it."""
    try:
        import ray
        import ray.data  # Ray Data comes with the "data" extra
    except ImportError as exc:
        raise EngineUnavailable(
            f"the Ray engine needs Ray Data, which is not installed ({exc}): pip install 'parley[ray]'"
        ) from exc
    return ray


def ray_ingest(
    sources: Iterable[str],
    store: Any = None,
    *,
    out: str | os.PathLike[str] | None = None,
    options: IngestOptions | None = None,
    model: str | None = None,
    address: str | None = None,
    actors: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[IngestReport], None] | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    stats: RayStats | None = None,
) -> IngestReport:
    """Ingest `sources` with Ray: into `store` (streamed to this process) or as Parquet into `out`.

    `address` is a running cluster's ("auto", "head:6379"; not "ray://": Ray Data does not run over
    Ray Client); None starts Ray on this machine
    for the run (or joins the Ray already started in this process). `actors` defaults to one per
    CPU of the cluster. With `out`, the report's `stored` counts the documents written.
    """
    if (store is None) == (out is None):
        raise ValueError("ray_ingest writes into a store or into a folder (out): one of them")
    ray = require_ray()
    options = options or IngestOptions()
    stats = stats if stats is not None else RayStats()
    report = IngestReport()

    def skip(item: Skipped) -> None:
        report.skipped.append(item)
        if on_skip:
            on_skip(item)

    plan = plan_sources(sources, options)
    for item in plan.skipped:
        skip(item)
    connecting = time.perf_counter()
    started = _connect(ray, address)
    stats.connect_s = time.perf_counter() - connecting
    try:
        stats.actors = actors or max(1, int(ray.cluster_resources().get("CPU", default_workers())))
        rows = driver_rows(plan.driver, options)
        with _run_context(ray, preserve_order=out is None):
            if out is not None:
                return _write_parquet(ray, plan, rows, out, options, model, stats, batch_size, report, skip)
            stored_ids = frozenset(store.ids())
            known = ray.put(stored_ids) if stored_ids else None
            documents = _stream(ray, plan, rows, options, model, stats, batch_size, report, skip, known)
            return store_documents(documents, store, report, on_progress)
    finally:
        if started:
            ray.shutdown()


def _pipeline(ray: Any, plan: Plan, rows: list[dict[str, str]], options: IngestOptions, model: str | None,
              stats: RayStats, batch_size: int, known: Any = None) -> Any:
    """The dataset of analysed rows (id, document, origin, reason, words); None when nothing to read.

    `known`: a Ray object holding the ids not to analyse again (those already stored), or None.
    """
    parts = []
    kwargs = {"names": plan.names, "options": options}
    light = {"num_cpus": READ_CPUS, "concurrency": _reads(stats)}
    if plan.files:
        read = ray.data.read_binary_files(plan.files, include_paths=True, **light)
        parts.append(read.flat_map(file_rows, fn_kwargs=kwargs, **light))
    for paths, columns in plan.parquet:
        read = ray.data.read_parquet(paths, columns=columns, include_paths=True, partitioning=None, **light)
        parts.append(read.map_batches(parquet_rows, fn_kwargs=kwargs, batch_format="pyarrow", batch_size=None,
                                      **light))
    if rows:
        parts.append(ray.data.from_items(rows))
    if not parts:
        return None
    dataset = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return dataset.map_batches(
        RayAnalyzer,
        fn_constructor_kwargs={"model": model, "fault": os.environ.get(FAULT_ENV), "known": known},
        compute=ray.data.ActorPoolStrategy(size=stats.actors),
        batch_size=batch_size,
        batch_format="pyarrow",
        num_cpus=1,
    )


@contextlib.contextmanager
def _run_context(ray: Any, *, preserve_order: bool) -> Iterator[None]:
    """Ray Data's settings for one run (built and executed inside), the caller's restored after.

    - `preserve_order`: into a store, documents come in input order, as from the local engine.
    - `target_max_block_size` = BLOCK_BYTES (see there).
    - the classic file datasources: Ray 2.5x's "datasource v2" (read_parquet today) lists files
      in a task of its own that always asks for a whole CPU, which never comes while the actors
      hold every core (the run hangs); the classic reader lists in the driver.
    """
    context = ray.data.DataContext.get_current()
    kept = {"target_max_block_size": context.target_max_block_size}
    context.target_max_block_size = BLOCK_BYTES
    if getattr(context, "use_datasource_v2", False):
        kept["use_datasource_v2"] = True
        context.use_datasource_v2 = False
    order = context.execution_options.preserve_order
    context.execution_options.preserve_order = preserve_order
    try:
        yield
    finally:
        for name, value in kept.items():
            setattr(context, name, value)
        context.execution_options.preserve_order = order


def _reads(stats: RayStats) -> int:
    """How many reading (or writing) tasks may run at once."""
    return max(2, stats.actors // ACTORS_PER_READ)


def _stream(ray: Any, plan: Plan, rows: list[dict[str, str]], options: IngestOptions, model: str | None,
            stats: RayStats, batch_size: int, report: IngestReport,
            skip: Callable[[Skipped], None], known: Any = None) -> Iterator[Document]:
    """Documents in input order as the actors finish them; skips go to `skip` on the way."""
    dataset = _pipeline(ray, plan, rows, options, model, stats, batch_size, known)
    if dataset is None:
        return
    for batch in dataset.iter_batches(batch_format="pyarrow", batch_size=None):
        if stats.first_result_s is None:
            stats.first_result_s = time.perf_counter() - report.started
        for document, origin, reason in zip(*(batch.column(c).to_pylist() for c in ("document", "origin", "reason"))):
            if document:
                yield Document.from_json(document)
            elif reason == ALREADY_STORED:
                report.duplicates += 1
            else:
                skip(Skipped(origin, reason))


def _write_parquet(ray: Any, plan: Plan, rows: list[dict[str, str]], out: str | os.PathLike[str],
                   options: IngestOptions, model: str | None, stats: RayStats, batch_size: int,
                   report: IngestReport, skip: Callable[[Skipped], None]) -> IngestReport:
    """Analyse and write Parquet on the workers; count what the write tasks report back."""
    from .ray_sink import DocumentSink

    sink = DocumentSink(Path(out))
    sink.out.open()  # fail here, at once, on a folder that cannot be made
    dataset = _pipeline(ray, plan, rows, options, model, stats, batch_size)
    if dataset is not None:
        dataset.write_datasink(sink, ray_remote_args={"num_cpus": READ_CPUS}, concurrency=_reads(stats))
    sink.out.commit()
    result = sink.result
    report.stored += result.documents
    report.words += result.words
    for origin, reason in result.skipped:
        skip(Skipped(origin, reason))
    report.finished = time.perf_counter()
    stats.out = {"documents": result.documents, "files": result.files}
    return report


def _connect(ray: Any, address: str | None) -> bool:
    """Start or join Ray; True when this call started it (and so should shut it down)."""
    started = False
    if address:
        _probe(address)
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
        try:
            if address:
                ray.init(address=address, **kwargs)
            else:
                ray.init(address="local", num_cpus=default_workers(), **kwargs)  # never a cluster found running
        except Exception as exc:  # ConnectionError, RuntimeError, ...: Ray's own, many kinds
            where = f"the Ray cluster at {address}" if address else "a local Ray"
            raise EngineUnavailable(f"cannot start or reach {where}: {type(exc).__name__}: {exc}") from exc
        started = True
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # no INFO lines on stderr
    return started


def _probe(address: str, timeout: float = 5.0) -> None:
    """Fail in seconds on a cluster address nothing listens at (Ray itself retries for minutes)."""
    if address.startswith("ray://"):
        raise EngineUnavailable(
            f"{address}: Ray Data does not run over Ray Client (ray://) in Ray {_ray_version()}: run parley on a "
            "cluster node with --address auto (or HEAD:6379), or submit it as a Ray job: ray job submit "
            "--address http://HEAD:8265 -- parley ingest ... --engine ray --address auto"
        )
    host_port = address.split("://", 1)[-1].rsplit("/", 1)[0]
    host, sep, port = host_port.rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", "local" and the like: Ray resolves these itself, and fails fast
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise EngineUnavailable(f"no Ray cluster answers at {address} ({exc.strerror or exc})") from exc


def _ray_version() -> str:
    import ray

    return str(ray.__version__)


class RayAnalyzer:
    """A Ray actor's callable: loads the model once, then analyses batches of rows.

    Rows that carry a skip pass through; an article whose analysis raises becomes a skip with the
    reason the local engine gives ("analysis failed: Type: message").
    """

    def __init__(self, model: str | None = None, fault: str | None = None, known: Any = None) -> None:
        import ray

        from ..analysis.pipeline import load_model

        self.model = model
        self.fault = fault
        self.known: frozenset[str] = (ray.get(known) if isinstance(known, ray.ObjectRef) else known) or frozenset()
        load_model(model)

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        from ..analysis.pipeline import analyze_articles

        texts, origins, reasons = (batch.column(c).to_pylist() for c in ("article", "origin", "reason"))
        articles = {i: article_of(text) for i, text in enumerate(texts) if text}
        stored = {i for i, article in articles.items() if article.id in self.known}
        articles = {i: article for i, article in articles.items() if i not in stored}
        self._maybe_die()
        errors: dict[int, str] = {}
        documents: dict[int, Document] = {}
        index = {id(article): i for i, article in articles.items()}
        fail = partial(_note_error, errors, index)
        for document in analyze_articles(articles.values(), model=self.model, on_error=fail):
            documents[index[id(document.article)]] = document
        out: dict[str, list[Any]] = {"id": [], "document": [], "origin": [], "reason": [], "words": []}
        for i, origin in enumerate(origins):
            document = documents.get(i)
            out["id"].append(document.article.id if document else "")
            out["document"].append(document.to_json() if document else "")
            out["origin"].append(origin)
            if i in stored:
                out["reason"].append(ALREADY_STORED)
            elif i not in articles:
                out["reason"].append(reasons[i])
            else:
                out["reason"].append(errors.get(i, "" if document else "no result"))
            out["words"].append(len(document.article.text.split()) if document else 0)
        return out

    def _maybe_die(self) -> None:
        if self.fault:
            try:
                os.remove(self.fault)
            except OSError:
                return
            os._exit(1)


def _note_error(errors: dict[int, str], index: dict[int, int], article: Any, exc: Exception) -> None:
    from ..analysis.pipeline import failure_reason

    errors[index[id(article)]] = failure_reason(exc)
