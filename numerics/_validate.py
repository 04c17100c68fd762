"""Argument checks shared by the numerics modules: a bad value raises ``ValueError`` naming the
parameter and its allowed range, before any computation can turn it into a NaN."""

from __future__ import annotations

import math
import numbers


def _real(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)) and not hasattr(value, "__float__"):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if math.isnan(x):
        raise ValueError(f"{name} must be a real number, got NaN")
    return x


def check_in(name: str, value, lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False):
    """Return ``value`` unchanged if it lies in the interval, else raise naming ``name``."""
    x = _real(name, value)
    above = x > lo if lo_open else x >= lo
    below = x < hi if hi_open else x <= hi
    if not (above and below):
        left, right = "(" if lo_open else "[", ")" if hi_open else "]"
        raise ValueError(f"{name} = {value!r} is outside its allowed range {left}{lo:g}, {hi:g}{right}")
    return value


def check_positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)
