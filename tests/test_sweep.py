"""numerics.sweep.run: the same results for any number of workers, any order and a dask cluster;
a cache that is hit on a rerun, missed after the swept function's code changes, and resumes a
sweep that failed half way; bad input."""

from __future__ import annotations

import importlib
import random
import sys
import textwrap

import numpy as np
import pytest

from numerics import sweep

# The swept functions live in a module written to tmp_path: worker processes unpickle them by value
# (cloudpickle), and each call appends a line to a log file, so calls made in other processes count.
MODULE = '''
import os

import numpy as np


def draw(point, rng):
    if point.get("log"):
        with open(point["log"], "a") as f:
            f.write(f"{{point['x']}}\\n")
    if point.get("flag") and point["x"] == 3 and not os.path.exists(point["flag"]):
        open(point["flag"], "w").close()
        raise RuntimeError("first call at x = 3 fails")
    return {{"x": point["x"], "z": rng.standard_normal(4) * {scale}}}
'''


def _write_module(tmp_path, name, scale=1.0):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(MODULE.format(scale=scale)))
    return path


@pytest.fixture
def mod(tmp_path, monkeypatch):
    """An importable swept module, pickled by value so loky and dask workers need not import it."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # a reload must read the edited source
    monkeypatch.delenv(sweep.ENV_SCHEDULER, raising=False)
    monkeypatch.setattr(sweep, "_defaults", {"workers": None, "scheduler": None})
    name = f"sweepmod_{abs(hash(str(tmp_path))) % 10**8}"
    _write_module(tmp_path, name)
    module = importlib.import_module(name)
    cloudpickle = pytest.importorskip("cloudpickle")  # loky's and dask's pickler (dask brings it)
    cloudpickle.register_pickle_by_value(module)
    yield module
    cloudpickle.unregister_pickle_by_value(module)
    sys.modules.pop(name, None)


def _points(k=8, **extra):
    return [{"x": i, "y": 0.5 * i, **extra} for i in range(k)]


def _same(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b):
        assert u["x"] == v["x"]
        np.testing.assert_array_equal(u["z"], v["z"])  # bit for bit


def _calls(log):
    return sorted(int(s) for s in log.read_text().split()) if log.exists() else []


def test_generator_depends_on_seed_and_point_only():
    p = {"b": 2, "a": [1.0, 2.0]}
    assert sweep.stable_hash_words(p) == sweep.stable_hash_words({"a": [1.0, 2.0], "b": 2})
    assert sweep.point_rng(1, p).random() == sweep.point_rng(1, dict(reversed(p.items()))).random()
    assert sweep.point_rng(1, p).random() != sweep.point_rng(2, p).random()
    assert sweep.point_rng(1, p).random() != sweep.point_rng(1, {**p, "b": 3}).random()
    assert len(sweep.stable_hash_words(p)) == 8 and all(0 <= w < 2**32 for w in sweep.stable_hash_words(p))


def test_workers_and_order_do_not_change_results(mod, audit_seed):
    pts = _points()
    serial = sweep.run(mod.draw, pts, seed=audit_seed, cache=False)
    two = sweep.run(mod.draw, pts, seed=audit_seed, workers=2, cache=False)
    shuffled = pts[:]
    random.Random(audit_seed).shuffle(shuffled)
    back = sweep.run(mod.draw, shuffled, seed=audit_seed, workers=2, cache=False)
    _same(serial, two)
    _same(sorted(back, key=lambda r: r["x"]), serial)
    assert [r["x"] for r in back] == [p["x"] for p in shuffled]  # results in the order of points
    other = sweep.run(mod.draw, pts, seed=audit_seed + 1, cache=False)
    assert not np.array_equal(other[0]["z"], serial[0]["z"])


def test_local_dask_cluster_gives_the_serial_results(mod, audit_seed):
    distributed = pytest.importorskip("dask.distributed")
    pts = _points(6)
    serial = sweep.run(mod.draw, pts, seed=audit_seed, cache=False)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        on_cluster = sweep.run(mod.draw, pts, seed=audit_seed, scheduler=cluster, cache=False)
        with distributed.Client(cluster) as client:  # a Client, and its address as a string
            by_client = sweep.run(mod.draw, pts, seed=audit_seed, scheduler=client, cache=False)
            by_address = sweep.run(mod.draw, pts, seed=audit_seed, scheduler=cluster.scheduler_address,
                                   cache=False)
    _same(on_cluster, serial)
    _same(by_client, serial)
    _same(by_address, serial)


def test_cache_hit_on_rerun_and_miss_after_code_change(mod, tmp_path, audit_seed):
    log = tmp_path / "calls.log"
    pts = _points(5, log=str(log))
    cache = tmp_path / "cache"
    first = sweep.run(mod.draw, pts, seed=audit_seed, workers=2, cache=cache)
    assert _calls(log) == [0, 1, 2, 3, 4]
    again = sweep.run(mod.draw, pts, seed=audit_seed, workers=2, cache=cache)
    assert _calls(log) == [0, 1, 2, 3, 4]  # all five served from the cache
    _same(again, first)
    assert sweep.run(mod.draw, pts, seed=audit_seed + 1, cache=cache) and len(_calls(log)) == 10
    # edit the function's body and reimport: every point recomputes, with the new code
    _write_module(tmp_path, mod.__name__, scale=2.0)
    importlib.invalidate_caches()
    edited = importlib.reload(mod)
    changed = sweep.run(edited.draw, pts, seed=audit_seed, cache=cache)
    assert len(_calls(log)) == 15
    np.testing.assert_array_equal(changed[0]["z"], 2.0 * first[0]["z"])


def test_failed_sweep_resumes_with_the_missing_points_only(mod, tmp_path, audit_seed):
    log = tmp_path / "calls.log"
    pts = _points(6, log=str(log), flag=str(tmp_path / "failed-once"))
    cache = tmp_path / "cache"
    with pytest.raises(RuntimeError, match="x = 3 fails") as info:
        sweep.run(mod.draw, pts, seed=audit_seed, workers=2, cache=cache)
    assert "1 of 6 points failed" in "".join(getattr(info.value, "__notes__", []))
    assert _calls(log) == [0, 1, 2, 3, 4, 5]
    resumed = sweep.run(mod.draw, pts, seed=audit_seed, workers=2, cache=cache)
    assert _calls(log) == [0, 1, 2, 3, 3, 4, 5]  # only x = 3 ran again
    _same(resumed, sweep.run(mod.draw, pts, seed=audit_seed, cache=False))


def test_defaults_from_configure_and_environment(mod, monkeypatch, audit_seed):
    sweep.configure(workers=2)
    assert sweep.settings()["workers"] == 2
    _same(sweep.run(mod.draw, _points(3), seed=audit_seed, cache=False),
          sweep.run(mod.draw, _points(3), seed=audit_seed, workers=1, cache=False))
    monkeypatch.setenv(sweep.ENV_SCHEDULER, "nonsense")
    with pytest.raises(ValueError, match="scheduler"):
        sweep.run(mod.draw, _points(2), seed=audit_seed, cache=False)


@pytest.mark.parametrize("kwargs, match", [
    (dict(workers=0), "workers"), (dict(workers=1.5), "workers"), (dict(workers=True), "workers"),
    (dict(scheduler="nonsense"), "scheduler"), (dict(scheduler=42), "scheduler"),
    (dict(seed=-1), "seed"), (dict(seed=1.0), "seed"),
    (dict(points=[(1, 2)]), "points"), (dict(points=[{"x": float("nan")}]), "points"),
    (dict(points=[{1: 2}]), "points"), (dict(points={"x": 1}), "points"),
    (dict(points=[{"x": object()}]), "points"), (dict(cache=3), "cache"),
])
def test_bad_input_names_the_parameter(mod, kwargs, match):
    args = dict(points=_points(2), seed=1, cache=False) | kwargs
    with pytest.raises(ValueError, match=match):
        sweep.run(mod.draw, **args)


def test_fn_must_be_module_level(mod):
    with pytest.raises(ValueError, match="fn"):
        sweep.run(lambda p, rng: 0, _points(1), seed=1, cache=False)


def test_code_key_covers_the_package_of_the_function():
    from numerics import figure_sweeps

    key = sweep.code_key(figure_sweeps.fig5_group)
    assert key == sweep.code_key(sweep.run)  # both hash all of numerics/
    assert len(key) == 64


KILLER = '''
import os
import signal
import sys

sys.path.insert(0, {here!r})
from numerics import sweep


def step(point, rng):
    with open(point["log"], "a") as f:
        f.write(f"{{point['x']}}\\n")
    if point["x"] == 3 and not os.path.exists(point["flag"]):
        open(point["flag"], "w").close()
        os.kill(os.getpid(), signal.SIGKILL)  # the sweep's own process dies half way
    return float(rng.random())


if __name__ == "__main__":
    import killed_sweep

    pts = [{{"x": i, "log": {log!r}, "flag": {flag!r}}} for i in range(6)]
    print(sweep.run(killed_sweep.step, pts, seed=7, cache={cache!r}))
'''


def test_killed_sweep_recomputes_only_the_missing_points(tmp_path):
    import subprocess
    from pathlib import Path

    log, flag, cache = tmp_path / "calls.log", tmp_path / "killed-once", tmp_path / "cache"
    here = str(Path(sweep.__file__).resolve().parent.parent)
    (tmp_path / "killed_sweep.py").write_text(textwrap.dedent(KILLER.format(
        here=here, log=str(log), flag=str(flag), cache=str(cache))))
    env = {k: v for k, v in __import__("os").environ.items() if k != sweep.ENV_SCHEDULER}
    first = subprocess.run([sys.executable, "killed_sweep.py"], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert first.returncode == -9, first.stderr
    assert _calls(log) == [0, 1, 2, 3]
    second = subprocess.run([sys.executable, "killed_sweep.py"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert _calls(log) == [0, 1, 2, 3, 3, 4, 5]  # 0-2 came from the cache


def test_pytest_options_set_the_sweep_defaults(pytester):
    pytester.makepyfile(test_opts='''
        from numerics import sweep

        def test_settings(sweep_options):
            assert sweep.settings() == {"workers": 3, "scheduler": "tcp://127.0.0.1:1"} == sweep_options
    ''')
    result = pytester.runpytest_subprocess("-p", "verify.plugin", "--workers=3",
                                           "--scheduler=tcp://127.0.0.1:1")
    result.assert_outcomes(passed=1)
    bad = pytester.runpytest_subprocess("-p", "verify.plugin", "--workers=0")
    assert bad.ret != 0
    bad.stderr.fnmatch_lines(["*--workers*workers must be an integer >= 1*"])


def test_report_options_are_checked():
    from verify import report

    before = sweep.settings()
    try:
        with pytest.raises(SystemExit):
            report.main(["--workers", "0", "--from-json", "/nonexistent"])
        with pytest.raises(SystemExit):
            report.main(["--scheduler", "nonsense", "--from-json", "/nonexistent"])
    finally:
        sweep.configure(**before)


def test_a_fully_cached_sweep_needs_no_cluster(mod, tmp_path, audit_seed):
    pts = _points(3)
    first = sweep.run(mod.draw, pts, seed=audit_seed, cache=tmp_path / "c")
    # nothing listens at this address: a cached rerun must not try to connect
    _same(sweep.run(mod.draw, pts, seed=audit_seed, cache=tmp_path / "c",
                    scheduler="tcp://127.0.0.1:9"), first)
