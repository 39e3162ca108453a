"""The web tier's side of a publication: read a record as stored, hand a change to ``kg curate publish``.

Why a process: publishing runs the build (SHACL gate, store, artefacts, switch), and the web
tier never imports the build (docs/architecture.md, rule 4); a build in a web worker would
also hold that worker for seconds. ``kg curate publish`` (:mod:`kg.cli.publication`) takes
one JSON request on standard input and answers JSON; it runs one publication at a time under
its own lock, whatever number of web workers ask. Its settings are this application's.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from endpoint.errors import HTTPProblem
from endpoint.state import AppState
from kg.curation import drafts
from kg.curation.accounts import User
from kg.curation.files import JOURNAL, record_path
from kg.curation.record_edit import etag
from kg.errors import CurationError
from kg.importer.yaml_out import load_round_trip
from kg.settings import Settings

__all__ = ["Stored", "publish", "recover_at_start", "stored", "today", "withdraw"]


@dataclass(frozen=True)
class Stored:
    """A record file as it is now: its text, values and ETag (all None: no such record)."""

    text: str | None
    values: dict[str, Any]
    etag: str | None


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    return str(value)  # ruamel's scalar strings, dates and numbers: the form shows text


def stored(settings: Settings, kind: str, rid: str) -> Stored:
    """The record ``kind``/``rid`` as its file has it (a 404 for a kind or id that cannot be one)."""
    try:
        path = record_path(settings.data_dir, kind, rid)
    except CurationError as exc:
        raise HTTPProblem(404, str(exc)) from None
    if not path.is_file():
        return Stored(None, {}, None)
    data = path.read_bytes()
    text = data.decode("utf-8")
    try:
        values = _plain(dict(load_round_trip(text)))
    except Exception:  # noqa: BLE001 -- a file edited by hand into bad YAML: shown, its checks say why
        values = {}
    return Stored(text, values, etag(data))


def today() -> str:
    """The publication day (``gewijzigd``), in Belgium's calendar."""
    return datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Brussels")).date().isoformat()


def _environment(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"KG_{name.upper()}"] = str(value)
    return env


def _run(settings: Settings, request: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "kg", "curate", "publish"], input=json.dumps(request), text=True,
                          capture_output=True, env=_environment(settings), check=False)
    if done.returncode != 0:
        raise HTTPProblem(503, "The publication could not run; nothing was published. "
                               + (done.stderr.strip().splitlines() or ["(no message)"])[-1])
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


async def publish(state: AppState, user: User, kind: str, rid: str, text: str, base: str | None,
                  added: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """Publish the new ``text`` of a record whose version was ``base``, with the new files
    ``added`` (path relative to ``data/``, text) beside it (see :mod:`kg.cli.publication`).

    A publication that went live is served by this process before the answer says so (the
    build watcher would pick it up within ``KG_RELOAD_INTERVAL`` anyway, but "live" must be
    true when the curator reads it and follows the link)."""
    request = {"kind": kind, "id": rid, "text": text, "base": base, "user": user.name, "pseudonym": user.pseudonym,
               "added": [list(pair) for pair in added]}
    answer = await run_in_threadpool(_run, state.settings, request)
    if answer.get("status") == "live":
        drafts.discard(state.settings.curation_dir, kind, rid, user.name)  # the publisher's draft is published
        await state.pick_up_new_build()
    return answer


async def withdraw(state: AppState, user: User, kind: str, rid: str, base: str | None, reason: str,
                   into: str | None = None) -> dict[str, Any]:
    """Withdraw a record (``into`` None: its IRI answers 410) or merge it into the record
    ``into`` (301), as one publication (:mod:`kg.cli.withdrawal`); served once it is live."""
    request = {"action": "merge" if into is not None else "withdraw", "kind": kind, "id": rid, "base": base,
               "reason": reason, "into": into, "user": user.name, "pseudonym": user.pseudonym, "today": today()}
    answer = await run_in_threadpool(_run, state.settings, request)
    if answer.get("status") == "live":
        await state.pick_up_new_build()
    return answer


def _recover(settings: Settings) -> None:
    done = subprocess.run([sys.executable, "-m", "kg", "curate", "recover"], capture_output=True, text=True,
                          env=_environment(settings), check=False)
    if done.returncode != 0:
        raise HTTPProblem(503, "An interrupted publication could not be finished: " + done.stderr.strip())


async def recover_at_start(settings: Settings) -> None:
    """``kg curate recover`` when the service starts: a publication that a crash or ``kill -9``
    interrupted is finished or undone (from its journal) before anyone edits again."""
    if (settings.curation_dir / JOURNAL).exists():
        await run_in_threadpool(_recover, settings)
