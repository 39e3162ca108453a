"""``kg users …`` (curator accounts) and ``kg curate …`` (the publication process of the workspace).

Every command works from a script: nothing prompts unless standard input is a terminal;
``--password-stdin`` reads the password as one line; ``kg users token`` prints the new token
once, on standard output, and nothing else. ``kg curate publish`` is what the web tier starts
for a publication (docs/curation.md): a JSON request on standard input, the JSON answer on
standard output.
"""

from __future__ import annotations

import json
import sys

import click

from kg.curation.accounts import ROLES, Accounts
from kg.errors import CurationError, EditConflict
from kg.settings import Settings

__all__ = ["curate", "users"]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise CurationError("No terminal to ask for the password: pass it on standard input with --password-stdin.")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@click.group()
def users() -> None:
    """Curator accounts of the workspace (KG_CURATION_DIR): add, list, remove, password, token."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="curator: edit and save; editor: also publish; admin: also accounts.")
@click.option("--password-stdin", is_flag=True, help="Read the password (at least 12 characters) as one line from standard input.")
@click.option("--no-password", is_flag=True, help="An account for scripts: API tokens only, no browser sign-in.")
@click.pass_obj
def add_user(settings: Settings, name: str, role: str, password_stdin: bool, no_password: bool) -> None:
    """Add an account (there is none by default)."""
    user = Accounts(settings).add(name, role, None if no_password else _password(password_stdin))
    click.echo(f"Added {user.name} ({user.role}); public pseudonym {user.pseudonym}.", err=True)


@users.command("remove")
@click.argument("name")
@click.pass_obj
def remove_user(settings: Settings, name: str) -> None:
    """Remove an account: its sessions end and its tokens stop working at once."""
    Accounts(settings).remove(name)
    click.echo(f"Removed {name}.", err=True)


@users.command("list")
@click.pass_obj
def list_users(settings: Settings) -> None:
    """Name, role, pseudonym and number of usable tokens of every account (never a secret)."""
    for user, tokens in Accounts(settings).users():
        click.echo(f"{user.name}\t{user.role}\t{user.pseudonym}\t{tokens} token{'s' if tokens != 1 else ''}")


@users.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password as one line from standard input.")
@click.pass_obj
def set_password(settings: Settings, name: str, password_stdin: bool) -> None:
    """Set a new password; the account's browser sessions end."""
    Accounts(settings).set_password(name, _password(password_stdin))
    click.echo(f"New password for {name}.", err=True)


@users.command("token")
@click.argument("name")
@click.option("--days", type=float, default=90, show_default=True, help="Days the token is valid.")
@click.option("--label", default="", help="What the token is for (shown by nothing secret).")
@click.option("--revoke", "revoke", metavar="TOKEN_ID", help="Revoke the token with this id (the part after kgc_, before _).")
@click.pass_obj
def token(settings: Settings, name: str, days: float, label: str, revoke: str | None) -> None:
    """Print a new API token for NAME once (send it as 'Authorization: Bearer …'), or revoke one."""
    accounts = Accounts(settings)
    if revoke:
        accounts.revoke_token(revoke)
        click.echo(f"Revoked token {revoke}.", err=True)
        return
    click.echo(accounts.issue_token(name, days, label))


@click.group()
def curate() -> None:
    """The workspace's publication process (started by the web tier) and its recovery."""


@curate.command("publish")
@click.pass_obj
def publish_command(settings: Settings) -> None:
    """Publish one record: a JSON request on standard input, the JSON answer on standard output."""
    from kg.cli.publication import Change, publish  # the build: imported only by the command that runs it
    from kg.cli.withdrawal import Removal, withdraw

    request = json.loads(sys.stdin.read())
    try:
        if request.get("action") in ("withdraw", "merge"):
            removal = Removal(request["kind"], request["id"], request.get("base"), str(request.get("reason") or ""),
                              request["user"], request["pseudonym"], request["today"],
                              request.get("into") if request["action"] == "merge" else None)
            answer = withdraw(settings, removal)
        else:
            added = tuple((str(relative), str(text)) for relative, text in request.get("added", []))
            change = Change(request["kind"], request["id"], request["text"], request.get("base"), request["user"],
                            request["pseudonym"], added)
            answer = publish(settings, change)
    except EditConflict as exc:
        answer = {"status": "conflict", "message": str(exc), "etag": exc.current}
    except CurationError as exc:  # a reason missing, a target that is no record, a record still referred to
        answer = {"status": "refused", "http": exc.http_status, "message": str(exc),
                  "referrers": getattr(exc, "referrers", [])}
    click.echo(json.dumps(answer))


@curate.command("recover")
@click.pass_obj
def recover_command(settings: Settings) -> None:
    """Finish a publication a crash interrupted (the next publication does this too)."""
    from kg.cli.publication import recover

    click.echo(recover(settings))
