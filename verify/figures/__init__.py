"""Figures of the report. Each topic adds a module here (``verify/figures/<topic>.py``) whose
functions are registered with :func:`figure`; the report command imports every module of this
package and calls each registered function.

A figure function has the signature ``func(outdir: Path, *, paper_scale: bool, seed: int)`` and
returns the path (or list of paths) of the PNG file(s) it wrote inside ``outdir``. It computes its
data from ``theory`` and ``numerics`` directly, seeds every random draw from ``seed``, and keeps the
default (``paper_scale=False``) run to seconds or a few minutes.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

FIGURES: dict[str, "Figure"] = {}


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    claims: tuple[str, ...]
    caption: str
    func: Callable[..., "Path | list[Path]"]
    order: float = 0.0


def figure(id: str, title: str, *, claims: tuple[str, ...] = (), caption: str = "", order: float = 0.0):
    """Register a figure function under a stable ``id`` that starts with its paper's seed number
    (e.g. ``"000.fig5"``); the report orders figures by paper, then by ``order``."""

    def register(func):
        if id in FIGURES:
            raise ValueError(f"figure id {id!r} is registered twice")
        FIGURES[id] = Figure(id, title, tuple(claims), caption, func, order)
        return func

    return register


def save(fig, outdir, name: str, *, dpi: int = 110, tight: bool = True, bbox: str | None = None) -> Path:
    """Write ``fig`` as ``outdir/name`` (PNG), close it and return the path: the last lines of
    every figure function. ``tight`` runs ``fig.tight_layout()`` first (off for constrained
    layouts); ``bbox="tight"`` crops to the drawn content."""
    import matplotlib.pyplot as plt

    if tight:
        fig.tight_layout()
    path = Path(outdir) / name
    fig.savefig(path, dpi=dpi, **({"bbox_inches": bbox} if bbox else {}))
    plt.close(fig)
    return path


def load_all() -> dict[str, Figure]:
    """Import every figure module of this package; return the registry sorted by order, id."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    # paper first (ids start with the seed file number), then each module's own order
    return dict(sorted(FIGURES.items(), key=lambda kv: (kv[0].split(".")[0], kv[1].order, kv[0])))
