"""Symbolic claims of the source papers (SymPy only; never imports ``numerics``).

``CLAIMS`` maps a stable id such as ``"linear_dynamics.lambda2"`` to a :class:`Claim`; importing
this package imports every topic module, which registers its claims.
"""

import importlib
import pkgutil

from .claims import CLAIMS, Claim, register

for _info in pkgutil.iter_modules(__path__):
    if _info.name not in ("claims", "symbols") and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["CLAIMS", "Claim", "register"]
