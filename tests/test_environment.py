"""A developer's ``KG_*`` variables do not reach the tests (``conftest.py`` at the repository root)."""

from __future__ import annotations

import os

import pytest

from kg.settings import PROJECT_ROOT, Settings


def test_no_kg_variable_reaches_a_test() -> None:
    assert [name for name in os.environ if name.startswith("KG_")] == []
    assert Settings().store == str(PROJECT_ROOT / "var" / "store")


def test_a_test_sets_the_variables_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_QUERY_WORKERS", "3")
    assert Settings().query_workers == 3
