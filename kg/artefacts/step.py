"""What an artefact step is, what it may read, and what it needs of the build in progress.

The build (:mod:`kg.build`) orchestrates; the artefact writers (dumps, LDES, catalogue,
VoID, sitemap) sit below it and must not import it. So the contract between the two is
declared here, on the artefacts' side:

* :class:`ArtefactInputs` is everything a step may read: the settings, the build id, the
  graph list, the new build's slot (its store and ``artefacts/`` folder, the previous build)
  and what the build measured ahead of time;
* :class:`ArtefactStep` is one step: its title (the stage name in the progress and the
  timings), its key in ``BUILD.json``, the function that writes it, and what it
  :class:`Need`\\ s of the build beyond the graph list and the previous build: the loaded
  store, the dumps, the LDES history of this build. What a step ``makes`` is available to the
  steps after it.

The orchestrator runs a step as soon as what it needs is there: while the SHACL gate still
works in a child process only the steps that need nothing of the store run (the LDES history,
then the sitemap that reads it); the others run once the gate has passed.

>>> step = ArtefactStep("sitemap", "Sitemap of the /doc/ pages", lambda inputs: 0, needs=frozenset({Need.LDES}))
>>> step.ready(frozenset({Need.LDES})), step.ready(frozenset())
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Union

from kg.artefacts.ldes_history import History
from kg.artefacts.quality_store import StoreAnswers
from kg.artefacts.void_statistics import VoidStatistics
from kg.rdf.mapping import RecordGraph
from kg.settings import Settings
from kg.shacl.report import ValidationReport
from kg.store.build_slot import BuildSlot

__all__ = ["EVERYTHING", "ArtefactInputs", "ArtefactStep", "BuildChange", "Need", "Summary"]

#: What a step reports for ``BUILD.json`` (its ``extra`` entry): any JSON value, or None for nothing.
Summary = Union[None, int, str, Sequence[str], dict[str, int]]


class Need(Enum):
    """What a step may need of the build beyond the graph list and the previous build."""

    STORE = "the new store, loaded and past the SHACL gate"
    DUMPS = "the dumps of the new store with their SHA-256 files"
    LDES = "this build's LDES history (artefacts/ldes)"
    QUALITY = "this build's data-quality measurements (artefacts/quality.*)"


#: Everything the build can offer, once the gate has passed.
EVERYTHING = frozenset(Need)


@dataclass(frozen=True)
class BuildChange:
    """What an incremental build changed, for the steps that carry the previous build's files
    over instead of making them again (the documents written ahead)."""

    #: The subjects of the old and new versions of the changed records.
    subjects: tuple[str, ...]
    #: Every IRI the change touched (subjects and what they point at); None when there were
    #: too many to list (the step then makes its files anew).
    touched: tuple[str, ...] | None
    #: Whether this build's dumps hold the change (false in the first build of a deferred
    #: incremental build, which keeps the previous build's dumps until the second one).
    dumps_current: bool = True
    #: The graphs the build made anew (the changed records' and the reference graphs, in the
    #: build's order; every other graph is the previous build's), for the LDES; None: not known.
    graphs: tuple[RecordGraph, ...] | None = None
    #: The names of the previous build's graphs this build did not keep (changed or gone).
    gone: tuple[str, ...] = ()


@dataclass
class ArtefactInputs:
    """Everything an artefact step may read about the build in progress."""

    settings: Settings
    build_id: str
    #: The named graphs loaded into the store, in the build's deterministic order.
    graphs: Sequence[RecordGraph]
    #: The new build: its store, its ``artefacts/`` folder, the previous live build.
    slot: BuildSlot
    #: The VoID statistics, when the build measured them ahead (in the SHACL child).
    void_statistics: VoidStatistics | None = None
    #: The store's answers to the quality metrics, when the build asked them ahead (in the SHACL child).
    quality_answers: StoreAnswers | None = None
    #: The SHACL report of the gate (what the quality measurements count); set before the steps run.
    report: ValidationReport | None = None
    #: Entity IRI → the agent IRI its new version is attributed to (a curator's publication;
    #: empty for ``kg build`` of files edited by hand): ``prov:wasAttributedTo`` on the LDES member.
    attribution: Mapping[str, str] = field(default_factory=dict)
    #: The LDES history the LDES step wrote (its ``state.json``), for the steps after it: read
    #: back, it costs a second parse of one entry per graph (120 000 at 100 000 practices).
    ldes_history: History | None = None
    #: What an incremental build changed; None in a full build.
    change: BuildChange | None = None


@dataclass(frozen=True)
class ArtefactStep:
    """One artefact of the build and what it needs."""

    #: Its entry in ``BUILD.json``'s ``extra`` (when ``write`` returns a summary).
    key: str
    #: The stage name in the progress and the timings.
    title: str
    write: Callable[[ArtefactInputs], Summary]
    #: Needs everything unless it says otherwise: a new step is safe by default.
    needs: frozenset[Need] = EVERYTHING
    makes: frozenset[Need] = frozenset()

    def ready(self, available: frozenset[Need]) -> bool:
        """True when everything this step needs is available."""
        return self.needs <= available
