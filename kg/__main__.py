"""``python -m kg …`` runs the ``kg`` command (tests and process managers use this form)."""

from kg.cli.commands import main

main(prog_name="kg")
