"""Rules for every test of the repository, doctests of ``kg`` and ``endpoint`` included.

``Settings()`` reads ``KG_*`` variables, so a developer who exported ``KG_STORE`` or
``KG_BASE_IRI`` for their own server would run the tests against other settings. Every
``KG_*`` variable is therefore removed for the whole session (session fixtures make
settings too) and again at the start of each test (whatever an earlier one left behind);
they are restored when the session ends. A test that needs one sets it itself.
``KG_TEST_BACKEND`` (which backend the HTTP suites use) is read by ``tests/conftest.py``
when pytest imports it, before these fixtures run.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest


def _kg_variables() -> list[str]:
    return [name for name in os.environ if name.startswith("KG_")]


@pytest.fixture(scope="session", autouse=True)
def _no_kg_environment_for_the_session() -> Iterator[None]:
    """No ``KG_*`` variable while session fixtures make their settings."""
    with pytest.MonkeyPatch.context() as patch:
        for name in _kg_variables():
            patch.delenv(name)
        yield


@pytest.fixture(autouse=True)
def _no_kg_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``KG_*`` variable at the start of each test."""
    for name in _kg_variables():
        monkeypatch.delenv(name)
