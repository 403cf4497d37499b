"""pytest setup: where the vector files are."""
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "tests", "vectors"))


@pytest.fixture
def vectors_dir():
    return VECTORS
