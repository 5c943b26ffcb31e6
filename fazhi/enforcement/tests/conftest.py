from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from .casefile import NOW, Body, make_body


@pytest.fixture
def body(personas: Any, time_machine: Any) -> Body:
    time_machine.move_to(NOW, tick=False)
    return make_body(personas)


@pytest.fixture
def english() -> Iterator[None]:
    """The guards' refusals matched by their English msgids (the Chinese catalogue is checked by the pages'
    tests and `make lint`), so these tests do not depend on the wording of a translation."""
    with translation.override("en"):
        yield
