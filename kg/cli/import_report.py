"""What ``kg import`` prints: per sheet what happened, the review table, the differences.

Why apart from the commands: the command only runs the import; how a curator reads the
outcome (one block per sheet, one summary line) is this module's one concern.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kg.importer.results import SheetResult
from kg.importer.review import table

__all__ = ["render_results"]

_VERB = {
    "new": "new record", "updated": "updated", "unchanged": "unchanged (the sheet says nothing new)",
    "exists": "not written: the record exists", "invalid": "not written: the record would not pass the checks",
}


def render_results(results: Sequence[SheetResult], *, dry_run: bool, verbose: bool) -> str:
    """One block per sheet (all of them when ``verbose`` or few; else only those needing attention), then a summary."""
    blocks: list[str] = []
    show_all = verbose or len(results) <= 20
    for result in results:
        if not show_all and result.action in ("new", "updated", "unchanged") and not result.diff:
            continue
        would = "would be " if dry_run and result.action in ("new", "updated") else ""
        head = f"{result.sheet} → {result.record} : {would}{_VERB[result.action]}"
        lines = [head]
        lines += [f"  ! {p}" for p in result.problems]
        if result.diff:
            lines += ["  Changes, field by field:", *(f"    {d}" for d in result.diff)]
        if result.proposal.notes and (show_all or result.action == "invalid"):
            lines += ["  To review:", *(f"    {row}" for row in table(result.proposal.notes).splitlines())]
        blocks.append("\n".join(lines))
    counts = Counter(r.action for r in results)
    notes = sum(len(r.proposal.notes) for r in results if r.action in ("new", "updated"))
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
    tail = "Dry run: nothing was written." if dry_run else f"{notes} points to review (REVIEW comments; reports in praktijken/review/)."
    return "\n\n".join([*blocks, f"{len(results)} sheets: {summary}. {tail}"])
