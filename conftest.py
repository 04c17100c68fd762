# The audit's pytest plugin (options, comparison rows, tolerance report) and pytester for the
# machinery tests. Plugins must be declared in the root conftest.
import os

# One BLAS thread per process, set before NumPy loads: threaded reductions sum in an order that
# depends on scheduling, so their last bits (a residual of 7.77e-16 one run, 5.55e-16 the next)
# would change the report from run to run. Parallelism comes from processes (pytest -n, sweeps).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

pytest_plugins = ["verify.plugin", "pytester"]
