"""Symbolic claims of the source papers (SymPy only; never imports ``numerics``).

``CLAIMS`` maps a stable id such as ``"linear_dynamics.lambda2"`` to a :class:`Claim`; importing
this package registers every topic module.
"""

from .claims import CLAIMS, Claim, register
from . import linear_dynamics  # noqa: F401  (registers its claims)

__all__ = ["CLAIMS", "Claim", "register"]
