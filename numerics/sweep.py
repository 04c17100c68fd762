"""One runner for every parameter sweep: ``run(fn, points, seed=...)``.

Contract of the swept function
    ``fn(point, rng)`` — a module-level function (importable by name, so worker processes can
    unpickle it) taking one point (a dict of JSON-serializable parameters) and a
    ``numpy.random.Generator``; it returns a picklable result. It must draw every random number
    from ``rng``.

Generators
    Point ``p`` gets ``np.random.default_rng(np.random.SeedSequence([seed, *stable_hash_words(p)]))``
    where ``stable_hash_words`` are the eight 32-bit words of the sha256 of the point's canonical
    JSON (keys sorted, no spaces). The generator depends on the seed and the point only — never on
    the worker, the number of workers or the order of ``points`` — so every way of running a sweep
    returns the same results. Note: ``{"x": 5}`` and ``{"x": 5.0}`` are different points.

Execution
    ``workers=1`` (the default) runs in this process; ``workers=N`` uses ``joblib.Parallel`` with N
    loky processes; a ``scheduler`` (an address such as ``tcp://host:8786``, ``"local"`` for a
    ``dask.distributed.LocalCluster`` of ``workers`` processes, or a ``Client``/``LocalCluster``
    object), or else the environment variable ``SPIKED_AUDIT_SCHEDULER``, sends the points to a
    dask.distributed cluster (``client.map``). :func:`configure` sets process-wide defaults (the
    pytest options ``--workers``/``--scheduler`` and ``python -m verify.report`` call it).

Cache and resume
    Finished points are stored with ``joblib.Memory`` in ``$SPIKED_AUDIT_CACHE`` or
    ``<project>/.cache/`` (``cache=False`` disables, a path or a ``joblib.Memory`` chooses another
    place). The process that calls :func:`run` reads and writes the cache; workers only compute, so a
    remote cluster needs no shared file system. A point is stored as soon as its result arrives,
    and a point whose function raises does not stop the others: they finish and are stored, then
    the first error is raised. A sweep that was killed or failed therefore recomputes only its
    missing points on the next call.

    The key of a point is (the function's module and name, the code key, the seed, the point's
    canonical JSON). The code key is the sha256 of the source of *every* ``.py`` file of the
    function's top-level package (for ``numerics.figure_sweeps.fig5_group``: all of ``numerics/``;
    for a module outside a package: that module's file). So a change of the function's body *or of
    any helper in the same package* recomputes; helpers in other packages (NumPy, SciPy, a
    different local package) are NOT hashed — a change there needs ``cache=False`` or clearing the
    cache folder. The price of hashing the whole package is that an edit anywhere in ``numerics/``
    invalidates every cached sweep.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import traceback
from pathlib import Path

import numpy as np

ENV_SCHEDULER = "SPIKED_AUDIT_SCHEDULER"
ENV_CACHE = "SPIKED_AUDIT_CACHE"
PROJECT = Path(__file__).resolve().parent.parent
_SCHEMES = ("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")
_defaults: dict = {"workers": None, "scheduler": None}


# -- points and generators ------------------------------------------------------------------------
def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, tuple):
        return list(obj)
    raise TypeError(f"not JSON-serializable: {obj!r} ({type(obj).__name__})")


def canonical_json(point: dict) -> str:
    """The point as JSON with sorted keys and no spaces (the identity of a point)."""
    if not isinstance(point, dict):
        raise ValueError(f"points: each point must be a dict of parameters, got {type(point).__name__}")
    if not all(isinstance(k, str) for k in point):
        raise ValueError(f"points: parameter names must be strings, got {list(point)}")
    try:
        return json.dumps(point, sort_keys=True, separators=(",", ":"), allow_nan=False,
                          default=_json_default)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"points: a point must be JSON-serializable (finite numbers, strings, "
                         f"lists): {point!r}: {exc}") from None


def stable_hash_words(point: dict) -> list[int]:
    """The eight 32-bit words of sha256(canonical JSON of the point)."""
    digest = hashlib.sha256(canonical_json(point).encode()).digest()
    return [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 32, 4)]


def point_rng(seed: int, point: dict) -> np.random.Generator:
    """The generator of one point: from the seed and the point, nothing else."""
    return np.random.default_rng(np.random.SeedSequence([seed, *stable_hash_words(point)]))


# -- code key ---------------------------------------------------------------------------------------
def code_key(fn) -> str:
    """sha256 over the sources of every .py file of fn's top-level package (or fn's own file)."""
    module = sys.modules.get(fn.__module__)
    file = getattr(module, "__file__", None)
    if file is None:
        raise ValueError(f"fn: {fn!r} must be a module-level function of an importable module")
    top = sys.modules.get(fn.__module__.split(".")[0])
    top_file = getattr(top, "__file__", None)
    if top is not module and top_file and Path(top_file).name == "__init__.py":
        files = sorted(Path(top_file).parent.rglob("*.py"))
        base = Path(top_file).parent
    else:
        files, base = [Path(file)], Path(file).parent
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.relative_to(base)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


# -- options ----------------------------------------------------------------------------------------
def configure(*, workers: int | None = None, scheduler=None) -> None:
    """Process-wide defaults for :func:`run` (None leaves run's own default)."""
    if workers is not None:
        _check_workers(workers)
    if scheduler is not None:
        _check_scheduler(scheduler)
    _defaults.update(workers=workers, scheduler=scheduler)


def settings() -> dict:
    return dict(_defaults)


def _check_workers(workers) -> int:
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    return int(workers)


def _check_scheduler(scheduler):
    if isinstance(scheduler, str):
        s = scheduler.strip()
        if s == "local" or s.startswith(_SCHEMES):
            return s
        raise ValueError(f"scheduler must be a dask.distributed address ({', '.join(_SCHEMES)}...), "
                         f"'local', or a Client/LocalCluster; got {scheduler!r}")
    if type(scheduler).__name__ in ("Client", "LocalCluster", "SpecCluster") or hasattr(scheduler,
                                                                                          "scheduler_address"):
        return scheduler
    raise ValueError(f"scheduler must be an address string, 'local', or a dask.distributed "
                     f"Client/LocalCluster; got {type(scheduler).__name__}")


# -- cache ------------------------------------------------------------------------------------------
def default_cache_dir() -> Path:
    """$SPIKED_AUDIT_CACHE if set, else <project>/.cache/ (git-ignored)."""
    env = os.environ.get(ENV_CACHE)
    return Path(env) if env else PROJECT / ".cache"


def _memory(cache):
    if cache is False:
        return None
    import joblib

    if isinstance(cache, joblib.Memory):
        return cache
    if cache is None or cache is True:
        cache = default_cache_dir()
    if not isinstance(cache, (str, os.PathLike)):
        raise ValueError(f"cache must be None, False, a folder path or a joblib.Memory, got {cache!r}")
    return joblib.Memory(str(cache), verbose=0)


def _stored(fn_id: str, code: str, seed: int, point_json: str, result=None):
    """The cached unit: its key is (fn_id, code, seed, point_json); ``result`` is not part of the
    key. On a miss the caller hands in the result computed elsewhere, which gets stored."""
    if result is None:
        raise LookupError("sweep cache: no stored result and none given")
    return result[0]


# -- execution --------------------------------------------------------------------------------------
def _evaluate(index: int, fn, point: dict, seed: int):
    """Compute one point (in a worker); errors come back as values so the other points go on."""
    try:
        return index, True, fn(point, point_rng(seed, point))
    except Exception as exc:  # noqa: BLE001 - reported by the caller after the others are stored
        return index, False, (exc, traceback.format_exc())


def _client_for(scheduler, workers):
    """(client, things to close) for a scheduler spec."""
    from dask.distributed import Client, LocalCluster

    if isinstance(scheduler, str):
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                                   dashboard_address=None)
            client = Client(cluster)
            return client, [client, cluster]
        client = Client(scheduler)
        return client, [client]
    if isinstance(scheduler, Client):
        return scheduler, []
    client = Client(scheduler)
    return client, [client]


def _iter_dask(tasks, fn, seed, scheduler, workers):
    from dask.distributed import as_completed

    client, to_close = _client_for(scheduler, workers)
    try:
        futures = client.map(_evaluate, [i for i, _ in tasks], [fn] * len(tasks),
                             [p for _, p in tasks], [seed] * len(tasks), pure=False)
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        for obj in to_close:
            obj.close()


def _iter_joblib(tasks, fn, seed, workers):
    if workers == 1:
        for i, p in tasks:
            yield _evaluate(i, fn, p, seed)
        return
    from joblib import Parallel, delayed

    yield from Parallel(n_jobs=workers, backend="loky", return_as="generator_unordered")(
        delayed(_evaluate)(i, fn, p, seed) for i, p in tasks)


def run(fn, points, *, seed: int, workers: int | None = None, scheduler=None, cache=None,
        desc: str | None = None, progress: bool | None = None) -> list:
    """Results of ``fn(point, rng)`` for every point, in the order of ``points`` (see the module
    docstring for generators, execution, cache and resume).

    workers    processes (default: :func:`configure`'s, else 1 = this process); with a dask
               scheduler it is the size of a ``"local"`` cluster
    scheduler  dask.distributed address / ``"local"`` / Client / LocalCluster; default
               :func:`configure`'s, else ``$SPIKED_AUDIT_SCHEDULER``, else joblib
    cache      None (default folder), False (off), a folder, or a joblib.Memory
    progress   None: a tqdm bar on stderr when it is a terminal; True/False force it on/off
    """
    if not callable(fn) or getattr(fn, "__name__", "<lambda>") == "<lambda>" \
            or "<locals>" in getattr(fn, "__qualname__", ""):
        raise ValueError(f"fn must be a module-level function fn(point, rng), got {fn!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    if isinstance(points, (dict, str)) or not hasattr(points, "__iter__"):
        raise ValueError(f"points must be a list of dicts, got {type(points).__name__}")
    points = list(points)
    keys = [canonical_json(p) for p in points]  # validates every point
    if workers is None:
        workers = _defaults["workers"] or 1
    workers = _check_workers(workers)
    if scheduler is None:
        scheduler = _defaults["scheduler"] or os.environ.get(ENV_SCHEDULER) or None
    if scheduler is not None:
        scheduler = _check_scheduler(scheduler)
    memory = _memory(cache)

    results: list = [None] * len(points)
    done = [False] * len(points)
    fn_id = f"{fn.__module__}.{fn.__qualname__}"
    stored = None
    if memory is not None:
        code = code_key(fn)
        stored = memory.cache(_stored, ignore=["result"])
        for i, key in enumerate(keys):
            if stored.check_call_in_cache(fn_id, code, seed, key):
                results[i], done[i] = stored(fn_id, code, seed, key), True
    tasks = [(i, points[i]) for i in range(len(points)) if not done[i]]

    from tqdm import tqdm

    bar = tqdm(total=len(points), initial=len(points) - len(tasks), desc=desc, file=sys.stderr,
               disable=None if progress is None else not progress, leave=False)
    errors = []
    try:
        it = (() if not tasks  # all cached: no cluster to connect to
              else _iter_dask(tasks, fn, seed, scheduler, workers) if scheduler is not None
              else _iter_joblib(tasks, fn, seed, workers))
        for i, ok, value in it:
            if ok:
                results[i] = value
                if stored is not None:
                    stored(fn_id, code, seed, keys[i], result=(value,))
            else:
                errors.append((i, *value))
            bar.update(1)
    finally:
        bar.close()
    if errors:
        i, exc, tb = min(errors, key=lambda e: e[0])
        exc.add_note(f"numerics.sweep.run: {len(errors)} of {len(points)} points failed; first at "
                     f"point {keys[i]} (the others are stored: a rerun computes only the failed "
                     f"ones)\n--- worker traceback ---\n{tb}")
        raise exc
    return results
