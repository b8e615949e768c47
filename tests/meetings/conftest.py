import pytest

from tests.world import adult_world


@pytest.fixture
def world(db):
    return adult_world()
