"""The one exception hierarchy of the ``kg`` package.

Every error a curator, researcher or operator can meet is one of these, with a
message written for that person: what is wrong, where (file, line, record,
SHACL path), and what to do about it. Errors of the libraries underneath
(ruamel.yaml, pyoxigraph, pyshacl, httpx) are translated once, at the
boundary where they are raised, with ``raise ... from exc``.

::

    KGError
     ├── ConfigError          a setting has a value we cannot use
     ├── SourceError          a data file is malformed (file, line, message; many at once)
     ├── ValidationFailed     the SHACL gate found Violations (carries the report)
     ├── StoreError           the store cannot be opened, loaded or switched
     │    └── NoBuildError    there is no built store yet (run `kg build`)
     └── QueryError           a SPARQL query is wrong or not allowed
          ├── QueryRefused    syntactically fine, but refused by policy (UPDATE, SERVICE)
          └── QueryTimeout    the query ran past its deadline

The CLI maps each class to its own exit code (see ``EXIT_CODES``); the HTTP
layer maps them to status codes in one handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pragma: no cover - import only for type checkers
    from kg.shacl.gate import ValidationReport


class KGError(Exception):
    """Base class: anything the knowledge-graph tooling reports to a person."""

    exit_code = 1


class ConfigError(KGError):
    """A setting (environment variable or option) has a value we cannot use."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a source file, located as precisely as we can."""

    file: Path
    line: int
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class SourceError(KGError):
    """One or more data files are malformed; nothing was built.

    All problems found are reported together, so a curator can fix them in
    one pass instead of one build per typo.
    """

    exit_code = 3

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the source data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class ValidationFailed(KGError):
    """The SHACL gate found Violations; the live store was left untouched."""

    exit_code = 4

    def __init__(self, report: "ValidationReport") -> None:
        self.report = report
        n = len(report.violations)
        super().__init__(
            f"SHACL validation found {n} violation{'s' if n != 1 else ''}; "
            "nothing was published. Fix the records listed above and build again."
        )


class StoreError(KGError):
    """The store cannot be opened, loaded, queried or switched."""

    exit_code = 5


class NoBuildError(StoreError):
    """There is no built store at the configured location yet."""

    def __init__(self, location: str) -> None:
        super().__init__(
            f"No built knowledge graph at {location}. Run `kg build` first "
            "(or set KG_STORE to the store you want to use)."
        )


class QueryError(KGError):
    """A SPARQL query cannot be run: a syntax error or an unsupported form."""

    exit_code = 6


class QueryRefused(QueryError):
    """The query is valid SPARQL but this public endpoint does not run it."""


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"The query ran longer than the limit of {seconds:g} seconds and was stopped. "
            "Make it more selective (add a LIMIT, narrow the patterns) or run it on a dump."
        )
