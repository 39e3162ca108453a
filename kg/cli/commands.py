"""The ``kg`` command: build, validate, query and serve the knowledge graph.

Options also read their ``KG_*`` environment variable (see ``kg.settings``).
Every :class:`~kg.errors.KGError` ends the command with ``Error: …`` on stderr and the
exit code of its class (the table is in :mod:`kg.errors`); no stack traces for expected
failures, start-up problems included (:mod:`kg.cli.startup`). ``kg serve`` checks the
settings and the store here, then replaces itself with ``python -m endpoint``: the ``kg``
package imports no web framework.

The build (pyshacl, rdflib) and the generator are imported inside the commands that use
them, not to dodge a cycle but so that ``kg --help``, ``kg query`` and ``kg serve`` start fast.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path
from typing import Callable, ParamSpec, TypeVar

import click

from kg.cli.import_report import render_results
from kg.cli.result_table import render
from kg.cli.startup import check_remote, check_sources, check_store, load_settings
from kg.errors import ConfigError, KGError, ValidationFailed
from kg.settings import Settings
from kg.store.folders import ARTEFACTS, CURRENT, build_root
from kg.store.open_store import open_store
from kg.store.synthetic_marker import SYNTHETIC_BASE_IRI

P = ParamSpec("P")
R = TypeVar("R")


def _reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn KGError into a one-paragraph message and the class's exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            click.echo(exc.report.table(), err=True)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KGError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


class _Progress:
    """Prints stage messages on a terminal; quiet when piped (except timings)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        if message.endswith("…"):
            if self.tty:
                click.echo(f"  {message}", err=True)
            return
        click.echo(f"  {message}", err=True)


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


@click.group()
@click.option("--store", envvar="KG_STORE", help="Store folder or SPARQL endpoint URL (KG_STORE).")
@click.option("--data", "data_dir", envvar="KG_DATA_DIR", type=click.Path(path_type=Path), help="Records folder (KG_DATA_DIR).")
@click.option("--base-iri", envvar="KG_BASE_IRI", help="Canonical base IRI (KG_BASE_IRI).")
@click.version_option(package_name="lokaalcirculair-kg")
@click.pass_context
@_reports_errors
def main(ctx: click.Context, store: str | None, data_dir: Path | None, base_iri: str | None) -> None:
    """Lokaal Circulair knowledge graph: circular practices of Flemish local governments."""
    ctx.obj = load_settings(store=store, data_dir=data_dir, base_iri=base_iri)


@main.command()
@click.option("--quiet", "-q", is_flag=True, help="Print only the result.")
@click.option("--full", is_flag=True, help="Read, map and validate every record, even if an incremental build is possible.")
@click.pass_context
@_reports_errors
def build(ctx: click.Context, quiet: bool, full: bool) -> None:
    """Build the graph from data/ into a new store and switch to it.

    Incremental when a previous build exists and only record files changed
    (only those are read again); a full build otherwise, or with --full, and
    it says why. A Violation in the SHACL report stops the build; the store
    being served is left untouched. Warnings are printed and do not stop it.
    """
    from kg.build.pipeline import build as run_build

    settings = _settings(ctx)
    check_sources(settings)
    check_remote(settings, writes=True)  # before minutes of work, not at the upload
    started = time.perf_counter()
    result = run_build(settings, progress=_Progress(quiet), full=full)
    if result.report.warnings:
        click.echo(result.report.table(), err=True)
    total = time.perf_counter() - started  # wall time: some stages overlap (the SHACL child)
    click.echo(
        f"Built {result.build_id}: {result.triples} triples in {result.graphs} graphs, "
        f"{len(result.report.warnings)} warnings, {total:.1f} s ({result.mode} build: {result.why}).\n"
        f"Store: {settings.store if settings.is_remote else build_root(settings) / CURRENT}\n"
        f"Dumps: {build_root(settings) / CURRENT / ARTEFACTS / 'dumps'}"
    )


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@_reports_errors
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check records (all, or only FILES) against the format and the SHACL shapes."""
    from kg.build.pipeline import check

    settings = _settings(ctx)
    check_sources(settings)
    report = check(settings, only=list(files) or None, progress=_Progress(False))
    if report.results:
        click.echo(report.table())
    if not report.conforms:
        raise ValidationFailed(report)
    click.echo(f"OK: no violations, {len(report.warnings)} warnings.")


@main.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "turtle"]), default="table")
@click.pass_context
@_reports_errors
def query(ctx: click.Context, sparql: str, fmt: str) -> None:
    """Run a SPARQL query on the built store and print the answer.

    SPARQL may be the query text, or @FILE to read it from a file.
    """
    if sparql.startswith("@"):
        sparql = Path(sparql[1:]).read_text(encoding="utf-8")
    settings = _settings(ctx)
    check_remote(settings)
    store = open_store(settings)
    try:
        click.echo(render(store.query(sparql), fmt), nl=False)
    finally:
        store.close()


@main.command()
@click.option("--practices", type=click.IntRange(min=1), help="How many practice records to write.")
@click.option("--sheets", type=click.IntRange(min=1), help="Instead: how many practice sheets to write (for `kg import`).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="New folder for the synthetic data.")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same files.")
@click.option("--broken-share", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of practices with one deliberate defect each (0.01 = one in a hundred).")
@click.option("--defect", "defects", multiple=True, help="Plant only these defects (repeatable; default: all kinds).")
@click.pass_context
@_reports_errors
def synth(ctx: click.Context, practices: int | None, sheets: int | None, out: Path, seed: int, broken_share: float,
          defects: tuple[str, ...]) -> None:
    """Write synthetic practice records, or sheets, for measurements (never for publication).

    The folder gets a SYNTHETIC marker: `kg build` builds it only under the base
    IRI https://synth.invalid and into a store of its own. With --sheets, OUT/sheets/
    holds the sheets (one in 25 with a planted defect) and OUT/data/ a data folder to
    import them into.
    """
    settings = _settings(ctx)
    if (practices is None) == (sheets is None):
        raise ConfigError("Give either --practices (records) or --sheets (practice sheets), not both or neither.")
    if sheets is not None:
        from kg.synth.sheets import synthesize_sheets

        made = synthesize_sheets(out, sheets, source_data=settings.data_dir, seed=seed)
        click.echo(f"Wrote {sheets} sheets to {out / 'sheets'} ({len(made.broken)} with a planted defect) and a data folder {out / 'data'}.")
        click.echo(f"Import them with: KG_DATA_DIR={out / 'data'} kg import {out / 'sheets'}")
        return
    from kg.synth.generator import synthesize

    summary = synthesize(
        out, practices or 0, source_data=settings.data_dir, vocab_dir=settings.ontology_dir / "vocabularies",
        seed=seed, broken_share=broken_share, defects=list(defects) or None,
    )
    counts = ", ".join(f"{n} {folder}" for folder, n in sorted(summary.counts.items()))
    click.echo(f"Wrote {counts} to {out} ({len(summary.broken)} broken on purpose).")
    click.echo(f"Build it with: KG_BASE_IRI={SYNTHETIC_BASE_IRI} KG_DATA_DIR={out} KG_STORE={out.parent / 'store'} kg build")


@main.command("import")
@click.argument("sheets", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--update", is_flag=True, help="Change existing records where the sheet changed (shows the differences).")
@click.option("--verbose", "-v", is_flag=True, help="Show every sheet's review table, also in large batches.")
@click.pass_context
@_reports_errors
def import_(ctx: click.Context, sheets: tuple[Path, ...], dry_run: bool, update: bool, verbose: bool) -> None:
    """Import practice sheets (text or saved HTML; a folder means the sheets in it) as records.

    Writes each practice to data/praktijken/ with its review report in
    data/praktijken/review/, the sheet to data/sources/ with its source record, and new
    organisation and person records. Bad input stops the batch before anything is written.
    """
    from kg.importer.batch import import_sheets, write_results

    settings = _settings(ctx)
    results = import_sheets(list(sheets), settings.data_dir, settings.ontology_dir / "vocabularies", dry_run=True, update=update)
    click.echo(render_results(results, dry_run=dry_run, verbose=verbose))  # the plan and the diffs first
    if not dry_run:
        write_results(results)
    if any(r.action in ("invalid", "exists") for r in results):
        sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", envvar="KG_HOST", show_default=True, help="Interface to listen on (KG_HOST).")
@click.option("--port", default=8000, envvar="KG_PORT", type=int, show_default=True, help="Port (KG_PORT).")
@click.option("--workers", default=1, envvar="KG_WORKERS", type=int, show_default=True, help="Web worker processes (KG_WORKERS).")
@click.pass_context
@_reports_errors
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the SPARQL endpoint, linked-data pages and harvesting surfaces.

    On the embedded store, builds first when no build exists yet. A later
    `kg build` goes live without a restart.
    """
    settings = _settings(ctx)
    if not settings.is_remote and not (Path(settings.store) / CURRENT).exists():
        click.echo("No build yet: building the graph first.", err=True)
        ctx.invoke(build)
    check_store(settings)  # a clear line now, not a traceback from a web worker later
    # The web processes read their settings from the environment: pass ours on.
    for name, value in settings.model_dump().items():
        if value is not None:
            os.environ[f"KG_{name.upper()}"] = str(value)
    click.echo(f"Serving on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Replace this process (same pid, so whoever started `kg serve` can stop the server).
    os.execve(sys.executable, [sys.executable, "-m", "endpoint", "--host", host, "--port", str(port),
                               "--workers", str(workers)], dict(os.environ))
