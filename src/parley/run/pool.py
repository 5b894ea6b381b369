"""Analysis spread over worker processes, documents handed back in input order.

    for document in analyze_parallel(articles, workers=4, on_error=report):
        store it

Why this shape:
- `analyze` is pure per article, so a worker needs nothing but the loaded model. Workers are
  forked from a fork server (where the platform has one) that imported `_warm`, which loaded the
  model and built every lazy table once: they start warm and share those pages. Never forked from
  the caller itself, whose threads and open store a fork would copy half-initialised. Each worker's
  initializer then makes sure of the model asked for (loading it, if it is another one). The
  server lives as long as the calling process, so a second pool starts at once.
- Order is kept by a window of chunks: chunks are submitted in input order and results taken from
  the head only, so one writer in the parent stores documents exactly as a single process would.
  At most `window` chunks are in flight, so memory stays flat however long the input.
- A worker that dies (SIGKILL, the OOM killer, a segfault in a C extension) breaks the whole
  `ProcessPoolExecutor`. Then a new pool is started and every chunk without a result is redone;
  a chunk taken from the head is first rerun alone, so that if it is the one that kills its
  worker, the article responsible can be found (the chunk is split) and skipped with a reason,
  while every other article is analysed once and handed back once.

One knob is for the tests, which prove the recovery: `PARLEY_POOL_FAULT` names a file. An empty
one makes the first worker to see it kill itself mid-chunk, once (it removes the file); one that
holds some text makes any worker die on every article containing that text.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain, islice

from ..document import Article, Document
from ..errors import ParleyError

#: Articles per task: enough for `nlp.pipe` to batch and to amortise the pickling, few enough that
#: the work spreads evenly and a dead worker costs little to redo.
CHUNK_SIZE = 8
#: Chunks in flight per worker: one running and one queued keeps every worker busy.
CHUNKS_PER_WORKER = 2
#: Pool breaks in a row without a single chunk coming back: the workers cannot run at all.
MAX_BREAKS_IN_A_ROW = 6
#: With the number of workers left to Parley, inputs up to this many articles are analysed in
#: this process: starting workers (each loading the model) would take longer than the work.
SMALL_INPUT = 24
#: Environment variable naming the fault-injection flag file (tests only, see module docstring).
FAULT_ENV = "PARLEY_POOL_FAULT"

OnError = Callable[[Article, Exception], None]


class WorkerDied(ParleyError):
    """A worker process died (killed, out of memory) while analysing an article, every time it was tried."""


def default_start_method() -> str:
    """forkserver where there is one (workers forked warm from a server that loaded the model
    once, see `_warm`), else spawn; never plain fork, which would copy the caller's threads' locks."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells, else the CPU count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def analyze_stream(
    articles: Iterable[Article],
    *,
    workers: int | None = 1,
    model: str | None = None,
    on_error: OnError | None = None,
    stats: PoolStats | None = None,
) -> Iterator[Document]:
    """Documents for `articles` in input order: in this process with one worker, else in a pool.

    `workers=None` means one per core, except for inputs of at most `SMALL_INPUT` articles, which
    are analysed in this process (the first few are read ahead to tell).
    """
    it = iter(articles)
    if workers is None:
        workers = default_workers()
        head = list(islice(it, SMALL_INPUT + 1))
        if len(head) <= SMALL_INPUT:
            workers = 1
        it = chain(head, it)
    if workers <= 1:
        from ..analysis.pipeline import analyze_articles

        yield from analyze_articles(it, model=model, on_error=on_error)
    else:
        yield from analyze_parallel(it, workers=workers, model=model, on_error=on_error, stats=stats)


@dataclass
class PoolStats:
    """What a pool run did beyond its documents: restarts, and each worker's peak memory."""

    restarts: int = 0
    peak_rss: dict[int, int] = field(default_factory=dict)  # worker pid -> peak resident bytes
    cpu_s: dict[int, float] = field(default_factory=dict)  # worker pid -> CPU seconds it has used

    @property
    def max_peak_rss(self) -> int:
        return max(self.peak_rss.values(), default=0)


def analyze_parallel(
    articles: Iterable[Article],
    *,
    workers: int | None = None,
    model: str | None = None,
    on_error: OnError | None = None,
    chunk_size: int = CHUNK_SIZE,
    window: int | None = None,
    start_method: str | None = None,
    stats: PoolStats | None = None,
) -> Iterator[Document]:
    """Analyse `articles` in `workers` processes, yielding documents in input order.

    An article whose analysis raises goes to `on_error` (else the error propagates), as in
    `analyze_articles`; one that kills its worker every time goes to `on_error` as `WorkerDied`.
    Errors that concern every article (the model cannot be loaded) propagate.
    """
    workers = workers or default_workers()
    pool = _Pool(workers, model, start_method, stats if stats is not None else PoolStats())
    window = window or workers * CHUNKS_PER_WORKER
    chunks = _chunks(articles, chunk_size)
    pending: deque[_Chunk] = deque()
    try:
        while True:
            while len(pending) < window and (chunk := next(chunks, None)) is not None:
                pending.append(pool.submit(chunk))
            if not pending:
                return
            head = pending.popleft()
            for article, outcome in zip(head.articles, pool.results(head, pending)):
                if isinstance(outcome, Document):
                    yield outcome
                elif on_error is None:
                    raise outcome
                else:
                    on_error(article, outcome)
    finally:
        pool.close()


# --- the parent's side ---------------------------------------------------------------------------

Outcome = Document | Exception


@dataclass
class _Chunk:
    articles: list[Article]
    future: Future | None = None
    executor: ProcessPoolExecutor | None = None


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


class _Pool:
    """A ProcessPoolExecutor that is replaced, and its lost work redone, when a worker dies."""

    def __init__(self, workers: int, model: str | None, start_method: str | None, stats: PoolStats) -> None:
        self.workers = workers
        self.model = model
        self.context = multiprocessing.get_context(start_method or default_start_method())
        if self.context.get_start_method() == "forkserver":
            self.context.set_forkserver_preload(["parley.run._warm"])  # used when the server starts
        self.stats = stats
        self.breaks_in_a_row = 0
        self.executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self.context,
            initializer=_init_worker,
            initargs=(self.model, os.environ.get(FAULT_ENV), sys.path, os.getpid()),
        )

    def submit(self, articles: list[Article] | _Chunk) -> _Chunk:
        chunk = articles if isinstance(articles, _Chunk) else _Chunk(articles)
        chunk.executor = self.executor
        try:
            chunk.future = self.executor.submit(_analyze_chunk, chunk.articles)
        except BrokenProcessPool:
            chunk.future = None  # redone when it reaches the head
        return chunk

    def results(self, head: _Chunk, pending: Iterable[_Chunk]) -> list[Outcome]:
        """The head chunk's outcomes; on a broken pool, a new one, and the lost chunks resubmitted."""
        try:
            if head.future is None:
                raise BrokenProcessPool("the pool was already broken when this chunk was submitted")
            return self._accept(head.future.result())
        except BrokenProcessPool:
            self._restart()
            outcomes = self._alone(head.articles)
            for chunk in pending:  # everything the dead pool had not finished
                if chunk.executor is not self.executor and not _succeeded(chunk.future):
                    self.submit(chunk)
            return outcomes

    def _alone(self, articles: list[Article]) -> list[Outcome]:
        """Run these articles with nothing else in flight, so a death is theirs: split, then skip."""
        try:
            return self._accept(self.executor.submit(_analyze_chunk, articles).result())
        except BrokenProcessPool:
            self._restart()
            if len(articles) == 1:
                return [WorkerDied("the worker process died while analysing it (killed, or out of memory)")]
            return [outcome for article in articles for outcome in self._alone([article])]

    def _accept(self, result: _ChunkResult) -> list[Outcome]:
        self.breaks_in_a_row = 0
        self.stats.peak_rss[result.pid] = max(result.peak_rss, self.stats.peak_rss.get(result.pid, 0))
        self.stats.cpu_s[result.pid] = max(result.cpu_s, self.stats.cpu_s.get(result.pid, 0.0))
        return result.outcomes

    def _restart(self) -> None:
        self.breaks_in_a_row += 1
        self.stats.restarts += 1
        self.executor.shutdown(wait=True, cancel_futures=True)  # a broken pool: returns at once
        if self.breaks_in_a_row > MAX_BREAKS_IN_A_ROW:
            raise WorkerDied(
                f"worker processes died {self.breaks_in_a_row} times in a row without finishing any "
                "work (out of memory? try fewer --workers)"
            )
        self.executor = self._new_executor()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _succeeded(future: Future | None) -> bool:
    return future is not None and future.done() and not future.cancelled() and future.exception() is None


# --- the worker's side ---------------------------------------------------------------------------


@dataclass
class _ChunkResult:
    outcomes: list[Outcome]
    pid: int
    peak_rss: int
    cpu_s: float  # the worker's CPU time so far (from its fork: the server's warm-up not included)


_init_error: Exception | None = None
_model: str | None = None
_fault_flag: str | None = None


def _init_worker(model: str | None, fault_flag: str | None, path: list[str], owner: int) -> None:
    """Load the model once for the worker's life; a failure is kept and raised with the first task.

    Raising here would only break the pool with no reason given; raised from a task, the error
    (a ModelError saying what to install) reaches the parent intact.
    """
    global _init_error, _model, _fault_flag
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _exit_with_owner(owner)
    for entry in path:  # spawned workers see the parent's import path (a benchmark's src/, say)
        if entry not in sys.path:
            sys.path.append(entry)
    _model, _fault_flag = model, fault_flag
    try:
        from ..analysis.pipeline import load_model

        load_model(model)
    except Exception as exc:  # noqa: BLE001 - handed to the parent, see docstring
        _init_error = exc


def _exit_with_owner(owner: int, every_s: float = 1.0) -> None:
    """End this worker when the process whose pool it serves is gone (a killed `parley ingest`).

    Pool workers otherwise wait on their task queue forever, each holding a model in memory; and
    the fork server waits for them, as each holds its end of the pipe that tells the server its
    owner has gone. The owner is not always the parent (workers are the fork server's children).
    """
    parent = os.getppid()

    def gone() -> bool:
        if os.getppid() != parent:
            return True
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # another user's process: the owner's pid has been reused
            return True
        return False

    def watch() -> None:
        while True:
            time.sleep(every_s)
            if gone():
                os._exit(1)

    threading.Thread(target=watch, name="parley-parent-watch", daemon=True).start()


def _analyze_chunk(articles: list[Article]) -> _ChunkResult:
    from ..analysis.pipeline import analyze_articles

    if _init_error is not None:
        raise _init_error
    by_article: dict[int, Outcome] = {}

    def failed(article: Article, exc: Exception) -> None:
        by_article[id(article)] = _portable(exc)

    for document in analyze_articles(articles, model=_model, on_error=failed):
        by_article[id(document.article)] = document  # the very Article object passed in
        _maybe_die(document.article.text)
    missing = RuntimeError("the analysis gave no result for this article")
    outcomes = [by_article.get(id(article), missing) for article in articles]
    return _ChunkResult(outcomes, os.getpid(), _peak_rss(), time.process_time())


def _portable(exc: Exception) -> Exception:
    """The exception itself where it survives pickling, else a RuntimeError that says the same."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _maybe_die(text: str) -> None:
    """Fault injection for the tests (see the module docstring): SIGKILL, as the OOM killer would."""
    if not _fault_flag:
        return
    try:
        with open(_fault_flag, encoding="utf-8") as fh:
            marker = fh.read().strip()
        if not marker:
            os.remove(_fault_flag)  # only one worker wins the removal
    except FileNotFoundError:
        return
    if not marker or marker in text:
        os.kill(os.getpid(), signal.SIGKILL)


def _peak_rss() -> int:
    """This process's own peak resident memory in bytes.

    VmHWM where Linux gives it: ru_maxrss is no good in a spawned worker, as Linux carries it over
    exec() from the forked copy of the parent, so every worker would report at least the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak if sys.platform == "darwin" else peak * 1024
