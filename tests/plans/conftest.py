import pytest

from tests.plans.world import build_world


@pytest.fixture
def world(db):
    return build_world()
