"""The same pure analysis as a Ray Data pipeline: on this machine (local mode) or on a cluster.

    documents = analyze_with_ray(articles, address="ray://head:10001", actors=64)

Articles are read and cleaned here, by the same readers as every other ingest (so skips and their
reasons are the same), and sent to Ray in windows of `window` articles: each window is a dataset
whose `map_batches` runs on a fixed pool of actors (`ActorPoolStrategy`), each actor loading the
spaCy model once and calling the very `analyze_articles` the local pool calls. A window keeps the
driver's memory flat on any input; its results come back tagged with their position and are
handed on in input order, so a store written from them is the same as from the local pool.

Ray is an optional extra (`pip install 'parley[ray]'`): without it, `EngineUnavailable` says so.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from functools import partial
from itertools import islice
from typing import Any

from ..document import Article, Document
from ..errors import ParleyError
from .pool import OnError, default_workers

#: Articles per Ray dataset: big enough that the actors' start (loading the model) is a small
#: share of the window's work, small enough to hold in the driver.
WINDOW = 1000
#: Articles per `map_batches` call inside an actor.
BATCH_SIZE = 8


class EngineUnavailable(ParleyError):
    """The analysis engine asked for cannot run here (Ray not installed, cluster unreachable)."""


def require_ray() -> Any:
    """The `ray` module with Ray Data, or a clear error saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (Ray Data comes with the "data" extra)
    except ImportError as exc:
        raise EngineUnavailable(
            f"the Ray engine needs Ray Data, which is not installed ({exc}): pip install 'parley[ray]'"
        ) from exc
    return ray


def ray_analyzer(
    *, model: str | None = None, address: str | None = None, actors: int | None = None, window: int = WINDOW
) -> Callable[[Iterable[Article], OnError], Iterator[Document]]:
    """An `analyzer` for `run.ingest.ingest`: checks Ray is importable now, runs it when called."""
    require_ray()
    return lambda articles, on_error: analyze_with_ray(
        articles, on_error=on_error, model=model, address=address, actors=actors, window=window
    )


def analyze_with_ray(
    articles: Iterable[Article],
    *,
    on_error: OnError | None = None,
    model: str | None = None,
    address: str | None = None,
    actors: int | None = None,
    window: int = WINDOW,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Document]:
    """Documents for `articles` in input order, analysed by Ray actors.

    `address` is a running cluster's ("auto", "ray://host:10001"); None starts Ray on this machine
    for the run (or uses the Ray already started in this process). `actors` defaults to one per
    CPU of the cluster. An article whose analysis raises goes to `on_error` (else the error is
    raised here, as a ParleyError naming the article).
    """
    ray = require_ray()
    started = _connect(ray, address)
    try:
        actors = actors or max(1, int(ray.cluster_resources().get("CPU", default_workers())))
        it = iter(articles)
        while group := list(islice(it, window)):
            for article, (document, error) in zip(group, _run_window(ray, group, model, actors, batch_size)):
                if document is not None:
                    yield Document.from_json(document)
                elif on_error is None:
                    raise ParleyError(f"{article.origin or article.id}: analysis failed: {error}")
                else:
                    on_error(article, _remote_error(error or "no result"))
    finally:
        if started:
            ray.shutdown()


class RemoteError(Exception):
    """An analysis error raised inside a Ray actor, carried back as its text ("Type: message")."""


def _remote_error(text: str) -> Exception:
    """A RemoteError whose class bears the original's name, so skip reasons read as they do locally."""
    kind, sep, message = text.partition(": ")
    if not sep or not kind.isidentifier():
        return RemoteError(text)
    return type(kind, (RemoteError,), {})(message)


def _connect(ray: Any, address: str | None) -> bool:
    """Start or join Ray; True when this call started it (and so should shut it down)."""
    if ray.is_initialized():
        return False
    if address:
        _probe(address)
    kwargs: dict[str, Any] = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    try:
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=default_workers(), **kwargs)
    except Exception as exc:  # ConnectionError, RuntimeError, ...: Ray's own, many kinds
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise EngineUnavailable(f"cannot start or reach {where}: {type(exc).__name__}: {exc}") from exc
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # no per-window INFO lines on stderr
    return True


def _probe(address: str, timeout: float = 5.0) -> None:
    """Fail in seconds on a cluster address nothing listens at (Ray itself retries for minutes)."""
    host_port = address.split("://", 1)[-1].rsplit("/", 1)[0]
    host, sep, port = host_port.rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", "local" and the like: Ray resolves these itself, and fails fast
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise EngineUnavailable(f"no Ray cluster answers at {address} ({exc.strerror or exc})") from exc


def _run_window(ray: Any, group: list[Article], model: str | None, actors: int,
                batch_size: int) -> list[tuple[str | None, str | None]]:
    """(document JSON, None) or (None, error text) per article of the group, in its order."""
    rows = [{"seq": i, "article": json.dumps(asdict(a), ensure_ascii=False)} for i, a in enumerate(group)]
    dataset = ray.data.from_items(rows, override_num_blocks=max(1, min(len(rows), actors * 4)))
    analysed = dataset.map_batches(
        RayAnalyzer,
        fn_constructor_kwargs={"model": model},
        compute=ray.data.ActorPoolStrategy(size=max(1, min(actors, len(rows)))),
        batch_size=batch_size,
        batch_format="pyarrow",
        num_cpus=1,
    )
    out: list[tuple[str | None, str | None]] = [(None, "no result came back from Ray")] * len(group)
    for batch in analysed.iter_batches(batch_format="pyarrow", batch_size=None):
        for seq, document, error in zip(*(batch.column(c).to_pylist() for c in ("seq", "document", "error"))):
            out[seq] = (document, error)
    return out


class RayAnalyzer:
    """A Ray actor's callable: loads the model once, then analyses batches of articles."""

    def __init__(self, model: str | None = None) -> None:
        from ..analysis.pipeline import load_model

        self.model = model
        load_model(model)

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        from ..analysis.pipeline import analyze_articles

        seqs = batch.column("seq").to_pylist()
        articles = [Article(**json.loads(text)) for text in batch.column("article").to_pylist()]
        errors: dict[int, str] = {}
        documents: dict[int, str] = {}
        fail = partial(_note_error, errors)
        for document in analyze_articles(articles, model=self.model, on_error=fail):
            documents[id(document.article)] = document.to_json()
        return {
            "seq": seqs,
            "document": [documents.get(id(a)) for a in articles],
            "error": [None if id(a) in documents else errors.get(id(a), "no result") for a in articles],
        }


def _note_error(errors: dict[int, str], article: Article, exc: Exception) -> None:
    errors[id(article)] = f"{type(exc).__name__}: {exc}"
