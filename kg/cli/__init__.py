"""The `kg` command line: build, validate, query, serve, synth."""

from kg.cli.commands import main

__all__ = ["main"]
