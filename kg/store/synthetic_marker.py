"""The rule that keeps synthetic data out of real stores, and real data out of synthetic ones.

``kg synth`` (:mod:`kg.synth`) writes measurement data; it must never reach the published
graph. Two of its three guards are this marker rule, shared by the writer and the build:

* a data folder written by ``kg synth`` carries a ``SYNTHETIC`` marker file
  (:func:`is_synthetic`); :func:`guard_build` (called by ``kg build`` before anything is
  written) refuses such a folder unless the base IRI is :data:`SYNTHETIC_BASE_IRI`
  (``https://synth.invalid``: the ``.invalid`` top-level domain can never resolve, RFC 2606),
  and refuses the synthetic base IRI for a folder without the marker;
* a store that received a synthetic build is marked too (``SYNTHETIC`` in its root), and a
  real build refuses to go into it, as a synthetic build refuses to go into a store that
  holds real builds.

It lives with the store (below both :mod:`kg.build` and :mod:`kg.synth`) so that the
production build never imports the generator.

>>> guard_build(Path("data"), SYNTHETIC_BASE_IRI, None)
Traceback (most recent call last):
...
kg.errors.ConfigError: The base IRI https://synth.invalid is reserved for synthetic data made by `kg synth`, but data has no SYNTHETIC file. Use the real base IRI for real data.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import ConfigError, StoreError
from kg.store.folders import BUILDS

__all__ = ["ID_PREFIX", "MARKER", "SYNTHETIC_BASE_IRI", "guard_build", "is_synthetic"]

#: Base IRI of every synthetic build: ``.invalid`` can never be a real host (RFC 2606).
SYNTHETIC_BASE_IRI = "https://synth.invalid"
#: Name of the marker file in a synthetic data folder and in a store that holds such builds.
MARKER = "SYNTHETIC"
#: Every id in synthetic data starts with this (the first of the guards of kg.synth).
ID_PREFIX = "synth-"


def is_synthetic(data_dir: Path) -> bool:
    """True when ``data_dir`` was written by ``kg synth`` (it carries the marker)."""
    return (data_dir / MARKER).is_file()


def guard_build(data_dir: Path, base_iri: str, store_root: Path | None) -> None:
    """Refuse a build that would mix synthetic and real data; call before writing anything.

    ``store_root`` is the embedded store folder (None for a remote store, where the base
    IRI alone keeps the namespaces apart). On success a synthetic build marks the store.
    """
    synthetic = is_synthetic(data_dir)
    synthetic_base = base_iri.rstrip("/") == SYNTHETIC_BASE_IRI
    if synthetic and not synthetic_base:
        raise ConfigError(
            f"{data_dir} holds synthetic data (it has a {MARKER} file) and may only be built under "
            f"the base IRI {SYNTHETIC_BASE_IRI}, never under {base_iri}. "
            f"Set KG_BASE_IRI={SYNTHETIC_BASE_IRI} and a store of its own (KG_STORE)."
        )
    if synthetic_base and not synthetic:
        raise ConfigError(
            f"The base IRI {SYNTHETIC_BASE_IRI} is reserved for synthetic data made by `kg synth`, "
            f"but {data_dir} has no {MARKER} file. Use the real base IRI for real data."
        )
    if store_root is not None:
        _guard_store(store_root, synthetic)


def _guard_store(store_root: Path, synthetic: bool) -> None:
    """The store side of the rule: never both kinds of build in one store."""
    marked = (store_root / MARKER).is_file()
    builds = store_root / BUILDS
    has_builds = builds.is_dir() and any(not p.name.startswith(".") for p in builds.iterdir())
    if synthetic and has_builds and not marked:
        raise StoreError(
            f"The store {store_root} holds real builds; a synthetic build must go into a store "
            "of its own. Point KG_STORE at another folder (e.g. var/bench/synth-1000/store)."
        )
    if not synthetic and marked:
        raise StoreError(
            f"The store {store_root} holds synthetic builds (it has a {MARKER} file); real data "
            "must not be built into it. Point KG_STORE at the real store."
        )
    if synthetic and not marked:
        store_root.mkdir(parents=True, exist_ok=True)
        (store_root / MARKER).write_text(
            f"This store holds synthetic builds (base IRI {SYNTHETIC_BASE_IRI}); never publish it.\n",
            encoding="utf-8",
        )
