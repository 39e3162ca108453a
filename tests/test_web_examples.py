"""The examples in the docstrings of the shared web pieces run, so they stay true."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from endpoint import answer_headers, caching, errors, layout
from endpoint.pages import page_model


@pytest.mark.parametrize("module", [answer_headers, caching, errors, layout, page_model], ids=lambda m: m.__name__)
def test_module_examples_run(module: ModuleType) -> None:
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0 and tried > 0
