"""A real OpenLink Virtuoso (Debian's ``virtuoso-opensource``, installed by ``scripts/setup
--test``) on free local ports, its database in a temporary folder.

A private configuration file is written for each server: the database, log and lock files in
the folder, the SQL and HTTP ports free ones, and ``ResultSetMaxRows`` raised from the
package's 10 000 (Virtuoso cuts longer answers silently; the dumps and lists need more). A new
database has the user ``dba`` with the password ``dba``, which the write endpoints ask for by
HTTP digest. ``KG_TEST_BACKEND=virtuoso`` runs the HTTP suites on it (``tests/conftest.py``).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from kg.settings import Settings

_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
MaxKeepAlives = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


class VirtuosoServer:
    """``virtuoso-t`` in the foreground on a fresh database in ``folder``."""

    def __init__(self, folder: Path, sql_port: int, http_port: int) -> None:
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise RuntimeError("virtuoso-t is not installed: run scripts/setup --test (Debian's virtuoso-opensource).")
        self.folder = folder / "virtuoso"
        self.folder.mkdir(parents=True)
        self.url = f"http://127.0.0.1:{http_port}"
        self.query_url = f"{self.url}/sparql"
        ini = self.folder / "virtuoso.ini"
        ini.write_text(_INI.format(folder=self.folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
        self.log = self.folder / "stdout.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"], cwd=self.folder,
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90  # a new database takes a few seconds, more on a loaded machine
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited early:\n{self._logs()}")
            try:
                if httpx.get(self.query_url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not start:\n{self._logs()}")

    def _logs(self) -> str:
        parts = [p.read_text(errors="replace")[-3000:] for p in (self.log, self.folder / "virtuoso.log") if p.is_file()]
        return "\n".join(parts)

    def settings(self, artefacts: Path, **kw: Any) -> Settings:
        """Settings that build into (as ``dba``) and read from this server."""
        return Settings(store=self.query_url, store_engine="virtuoso", store_user="dba", store_password="dba",  # type: ignore[arg-type]
                        artefacts_dir=artefacts, **kw)

    def stop(self) -> None:
        """Stop the server politely (it checkpoints), then for good after 20 s."""
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
