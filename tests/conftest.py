"""Shared fixtures. Tests that read ../shared/data skip cleanly when it is absent."""
from __future__ import annotations

import pytest

from briefcheck.evaluation import shared_data_dir


@pytest.fixture(scope="session")
def shared_data():
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (a user's checkout has none)")
    return path


@pytest.fixture(scope="session")
def nlp():
    from briefcheck.nlp import get_nlp

    return get_nlp()
