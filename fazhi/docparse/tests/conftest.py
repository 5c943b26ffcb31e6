from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
