"""What every command checks before it starts: the settings, and the store it will use.

Start-up problems are a person's to fix, so each becomes one :class:`~kg.errors.KGError`
naming the setting or the fix, which the command prints as ``Error: …`` with its exit code:

* a setting pydantic refuses (``KG_BASE_IRI=ftp://…``, ``KG_KEEP_BUILDS=1``) becomes one
  :class:`~kg.errors.ConfigError` naming the variable (:func:`load_settings`), and so does a
  source folder that does not exist (:func:`check_sources`);
* a remote store without ``KG_ARTEFACTS_DIR``, or whose update endpoints cannot be told, is a
  ``ConfigError``; one that cannot be reached, has no build yet, does not answer over the union
  of its named graphs, or (for ``kg build``) refuses writes, a :class:`~kg.errors.StoreError`
  (:func:`check_remote`, :func:`check_store`; the server checks are :mod:`kg.store.remote_checks`).

>>> load_settings(base_iri="ftp://example.org")
Traceback (most recent call last):
...
kg.errors.ConfigError: KG_BASE_IRI='ftp://example.org' cannot be used: KG_BASE_IRI must be an http(s) IRI, e.g. https://data.lokaalcirculair.be
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kg.errors import ConfigError
from kg.settings import Settings
from kg.store.folders import build_root
from kg.store.open_store import open_store
from kg.store.remote import endpoints
from kg.store.remote_checks import check_server

__all__ = ["check_remote", "check_sources", "check_store", "load_settings"]


def load_settings(**overrides: Any) -> Settings:
    """``Settings.from_env(**overrides)``, with pydantic's refusal turned into one ConfigError."""
    try:
        return Settings.from_env(**overrides)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from exc


def _describe(exc: ValidationError) -> str:
    """One line per refused setting: the variable, the value given, and why."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        variable = f"KG_{field.upper()}" if field in Settings.model_fields else field or "a setting"
        message = str(error["msg"]).removeprefix("Value error, ")
        given = f"={error['input']!r}" if "input" in error and not isinstance(error["input"], dict) else ""
        lines.append(f"{variable}{given} cannot be used: {message}")
    return "\n".join(lines)


def check_sources(settings: Settings) -> None:
    """The folders the build reads exist (a typo in KG_DATA_DIR would otherwise validate nothing)."""
    for variable, folder in (("KG_DATA_DIR", settings.data_dir), ("KG_ONTOLOGY_DIR", settings.ontology_dir),
                             ("KG_SHAPES_DIR", settings.shapes_dir)):
        if not folder.is_dir():
            raise ConfigError(f"{variable}={str(folder)!r} is not a folder; point it at the folder to read.")


def check_remote(settings: Settings, writes: bool = False) -> None:
    """For a remote store: its settings are complete, the server answers over the union of its
    named graphs, and (``writes``, for ``kg build``) takes writes (nothing for a folder)."""
    if not settings.is_remote:
        return
    build_root(settings)  # KG_ARTEFACTS_DIR
    endpoints(settings)  # KG_UPDATE_URL, KG_GSP_URL
    check_server(settings, writes)


def check_store(settings: Settings) -> None:
    """The store the settings name can be opened and holds a build (raises otherwise)."""
    check_remote(settings)
    open_store(settings).close()
