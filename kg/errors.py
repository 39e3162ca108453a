"""The one exception hierarchy of the ``kg`` package.

Every error a curator, researcher or operator can meet is one of these, with a
message written for that person: what is wrong, where (file, line, record,
SHACL path), and what to do about it. Errors of the libraries underneath
(ruamel.yaml, pyoxigraph, pyshacl, httpx) are translated once, at the
boundary where they are raised, with ``raise ... from exc``.

::

    KGError                      exit  HTTP
     ├── ConfigError              2    500  a setting has a value we cannot use
     ├── SourceError              3    422  a data file is malformed (file, line, message; many at once)
     ├── ValidationFailed         4    422  the SHACL gate found Violations (carries the report)
     ├── StoreError               5    503  the store cannot be opened, loaded or switched
     │    └── NoBuildError        5    503  there is no built store yet (run `kg build`)
     ├── QueryError               6    400  a SPARQL query is wrong
     │    ├── QueryRefused        6    400  valid SPARQL this endpoint does not run (SERVICE)
     │    │    └── UpdateRefused  6    403  SPARQL Update: the endpoint is read-only
     │    ├── QueryTimeout        6    503  the query ran past its deadline (or waited too long for a worker)
     │    └── QueryLimited        6    429  the client is past its share of the query workers
     ├── CurationError            2    400  a curator's request cannot be done as asked (account, kind, id)
 │    └── StillReferenced     2    409  a record to withdraw is still named by other records (listed)
     ├── ReleaseRefused           7    409  `kg release` refused: the version exists, is malformed, or
     │                                     the live build's dumps do not match their checksums
     └── EditConflict             7    412  a record changed since the curator read it (nothing written)

Each class carries its exit code, HTTP status and title as data, so the CLI and
the one HTTP error handler read them from the exception instead of guessing
from its message.

Exit codes of ``kg``: 0 when the command did its work; otherwise the code of the
error's class above, after one or a few lines ``Error: …`` on stderr that name the
setting or the fix (start-up problems included: a setting pydantic refuses is turned
into a ``ConfigError`` naming its ``KG_*`` variable, an unreachable remote store is a
``StoreError``, no build yet a ``NoBuildError``). 2 is also click's code for a command
line it cannot parse. Anything else that escapes is a bug, and shows its traceback.

>>> ConfigError("KG_STORE …").exit_code, NoBuildError("var/store").exit_code
(2, 5)
>>> UpdateRefused("read-only").http_status, QueryTimeout(30).exit_code
(403, 6)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence


class KGError(Exception):
    """Base class: anything the knowledge-graph tooling reports to a person."""

    #: The process exit code of ``kg`` when this error ends a command.
    exit_code: int = 1
    #: The HTTP status of an answer that reports this error.
    http_status: int = 500
    #: A short English title for the status (the problem's ``title``).
    title: str = "Internal Server Error"


class ConfigError(KGError):
    """A setting (environment variable or option) has a value we cannot use."""

    exit_code = 2


class CurationError(KGError):
    """A curator's request cannot be done as asked: an unknown account, a short password, a
    kind that is not edited, an id that is not an id. Nothing was changed."""

    exit_code = 2
    http_status = 400
    title = "Bad Request"


class StillReferenced(CurationError):
    """A record cannot be withdrawn while other records refer to it: their references would
    dangle. Nothing was changed; the message names each referring record and key."""

    http_status = 409
    title = "Conflict"

    def __init__(self, kind: str, rid: str, referrers: list[str]) -> None:
        #: ``kind/id (key)`` of every record that refers to it.
        self.referrers = referrers
        super().__init__(f"{kind}/{rid} cannot be withdrawn: {len(referrers)} record(s) still refer to it: "
                         f"{'; '.join(referrers)}. Change those first, or merge {kind}/{rid} into the record they should name.")


class EditConflict(KGError):
    """A record file is no longer the version a curator's change was based on: someone
    published in between. Nothing was written; the curator starts again from the new version."""

    exit_code = 7
    http_status = 412
    title = "Precondition Failed"

    def __init__(self, message: str, current: str | None) -> None:
        #: The ETag of the version now published (None when the record no longer exists).
        self.current = current
        super().__init__(message)


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
    http_status = 422
    title = "Unprocessable Content"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the source data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class Report(Protocol):
    """What an error needs of a SHACL validation report (:class:`kg.shacl.gate.ValidationReport`)."""

    @property
    def violations(self) -> Sequence[object]: ...

    def table(self) -> str: ...


class ValidationFailed(KGError):
    """The SHACL gate found Violations; the live store was left untouched."""

    exit_code = 4
    http_status = 422
    title = "Unprocessable Content"

    def __init__(self, report: Report) -> None:
        self.report = report
        n = len(report.violations)
        super().__init__(
            f"SHACL validation found {n} violation{'s' if n != 1 else ''}; "
            "nothing was published. Fix the records listed above and build again."
        )


class StoreError(KGError):
    """The store cannot be opened, loaded, queried or switched."""

    exit_code = 5
    http_status = 503
    title = "Service Unavailable"


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
    http_status = 400
    title = "Bad Request"


class QueryRefused(QueryError):
    """The query is valid SPARQL but this public endpoint does not run it (``SERVICE``)."""


class UpdateRefused(QueryRefused):
    """SPARQL Update was sent to the read-only endpoint."""

    http_status = 403
    title = "Forbidden"


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped (or waited for a worker too long: then
    ``retry_after`` is set, and the answer carries ``Retry-After``)."""

    http_status = 503
    title = "Service Unavailable"

    def __init__(self, seconds: float, message: str | None = None, retry_after: int | None = None) -> None:
        self.seconds = seconds
        self.headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        super().__init__(message or (
            f"The query ran longer than the limit of {seconds:g} seconds and was stopped. "
            "Make it more selective (add a LIMIT, narrow the patterns) or run it on a dump."
        ))


class QueryLimited(QueryError):
    """The client is past its limit of concurrent queries or of query time per minute.

    Answered ``429 Too Many Requests`` with ``Retry-After`` (seconds), which the error
    answer sends as a header (see :func:`endpoint.errors.problem_of`).
    """

    http_status = 429
    title = "Too Many Requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class ReleaseRefused(KGError):
    """``kg release`` cannot freeze this release; nothing was written.

    A release never changes once made, so a version that exists is refused rather than
    replaced; so is a malformed version, and a live build whose dumps no longer match their
    SHA-256 files (a release must be exactly what was published).
    """

    exit_code = 7
    http_status = 409
    title = "Conflict"
