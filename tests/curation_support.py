"""A real curator deployment for the workspace tests: a copy of ``data/``, a build, accounts, ``kg serve``.

The copy of ``data/`` is the tests' own (publications write into it). Its shapes are the
project's plus one stricter shape of the tests' own (an English practice title of at most
:data:`TITLE_LIMIT` characters), so a record that passes the record checks can still be
refused by the SHACL gate: the gate is the build's, the shape only gives it something to
find (and one on a nested node: an actor's explanation of at most that length). Accounts are made with the real ``kg users`` command, passwords on standard input.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from conftest import REPO, Server, free_port

from kg.settings import Settings

#: The longest English practice title the tests' extra shape allows.
TITLE_LIMIT = 200
#: The longest explanation of an actor the tests' nested shape allows (the data's longest is 253).
NOTE_LIMIT = 400
LEUVEN = "leuven-strategie-circulaire-stad"
PASSWORDS = {"ed": "editor-password-1", "cu": "curator-password-1", "ad": "admin-password-12"}
ROLES = {"ed": "editor", "cu": "curator", "ad": "admin"}
_TEST_SHAPE = f"""@prefix circ:   <https://data.lokaalcirculair.be/ns/circulair#> .
@prefix circsh: <https://data.lokaalcirculair.be/ns/shapes#> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix sh:     <http://www.w3.org/ns/shacl#> .

circsh:TestKorteTitel
    a sh:NodeShape ;
    sh:targetClass circ:Praktijk ;
    sh:property [
        sh:path dct:title ;
        sh:maxLength {TITLE_LIMIT} ;
        sh:message "Een titel is hoogstens {TITLE_LIMIT} tekens lang (testvorm)."@nl ,
                   "A title is at most {TITLE_LIMIT} characters long (test shape)."@en
    ] .

circsh:TestKorteToelichting
    a sh:NodeShape ;
    sh:targetClass <http://www.w3.org/ns/prov#Association> ;
    sh:property [
        sh:path circ:toelichting ;
        sh:maxLength {NOTE_LIMIT} ;
        sh:message "Een toelichting bij een actor is hoogstens {NOTE_LIMIT} tekens lang (testvorm)."@nl ,
                   "An actor's explanation is at most {NOTE_LIMIT} characters long (test shape)."@en
    ] .
"""


@dataclass
class Deployment:
    """The settings, the server, the users' API tokens, and where things are."""

    settings: Settings
    server: Server
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def record(self, rid: str = LEUVEN) -> Path:
        return self.settings.data_dir / "praktijken" / f"{rid}.yaml"

    def live_build(self) -> str:
        return str(httpx.get(f"{self.url}/health", timeout=10).json()["build"])

    def api(self, user: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, headers={"Authorization": f"Bearer {self.tokens[user]}"})


def kg(settings: Settings, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``kg`` command on the deployment's settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    environment.update({"KG_DATA_DIR": str(settings.data_dir), "KG_STORE": settings.store,
                        "KG_SHAPES_DIR": str(settings.shapes_dir), "KG_CURATION_DIR": str(settings.curation_dir),
                        **(env or {})})
    return subprocess.run([sys.executable, "-m", "kg", *args], input=stdin, capture_output=True, text=True,
                          env=environment, check=False)


def deploy(root: Path, git: bool = False, extra_shapes: str = "") -> Deployment:
    """Copy the data and shapes (``git``: as a git working tree of its own; ``extra_shapes``:
    Turtle of a test's own shapes), build, add the accounts, start ``kg serve`` with the workspace on."""
    from kg.build.pipeline import build

    shutil.copytree(REPO / "data", root / "data")
    if git:
        for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=Tests", "-c", "user.email=tests@example.invalid",
                                                        "commit", "-q", "-m", "The data as the tests found it"]):
            subprocess.run(["git", "-C", str(root / "data"), *command], check=True, capture_output=True)
    shutil.copytree(REPO / "shapes", root / "shapes")
    (root / "shapes" / "zz-tests.ttl").write_text(_TEST_SHAPE, encoding="utf-8")
    if extra_shapes:
        (root / "shapes" / "zz-tests-extra.ttl").write_text(extra_shapes, encoding="utf-8")
    settings = Settings(store=str(root / "store"), data_dir=root / "data", shapes_dir=root / "shapes",
                        ontology_dir=REPO / "ontology", curation_dir=root / "curation", curation=True)
    build(settings)
    tokens = {}
    for name, password in PASSWORDS.items():
        added = kg(settings, "users", "add", name, "--role", ROLES[name], "--password-stdin", stdin=password + "\n")
        assert added.returncode == 0, added.stderr
        made = kg(settings, "users", "token", name, "--days", "1")
        assert made.returncode == 0 and re.fullmatch(r"kgc_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n", made.stdout), made
        tokens[name] = made.stdout.strip()
    server = Server(settings, free_port(), extra_env={"KG_CURATION": "on", "KG_CURATION_DIR": str(settings.curation_dir)})
    return Deployment(settings, server, tokens)


@contextmanager
def sign_in(deployment: Deployment, user: str) -> Iterator[httpx.Client]:
    """A browser-like client with a session of ``user`` (the cookie is Secure: sent here by hand)."""
    with httpx.Client(base_url=deployment.url, timeout=60, follow_redirects=False) as client:
        yield _signed_in(client, user)


def _signed_in(client: httpx.Client, user: str) -> httpx.Client:
    answer = client.post("/beheer/aanmelden", data={"naam": user, "wachtwoord": PASSWORDS[user], "volgende": "/beheer"})
    assert answer.status_code == 303, answer.text
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    client.headers["Cookie"] = cookie.split(";")[0]
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def wait_until(check: Callable[[], bool], seconds: float = 120) -> bool:
    """Poll ``check`` until it holds (a wait for the live build, not a measurement: the time to
    live is ``benchmarks/curation_publish.py``'s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False
