import pytest

from tests.conftest import current_code

pytestmark = pytest.mark.django_db


def test_login_requires_second_factor(client, user_factory):
    user = user_factory(roles=["caseworker"])
    response = client.post(
        "/konto/logga-in/", {"username": user.username, "password": "pw-correct-horse-9"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvastegsverifiering/")
    # Without the code the home page is refused.
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith("/konto/tvastegsverifiering/")
    client.post("/konto/tvastegsverifiering/", {"token": current_code(user)})
    home = client.get("/")
    assert home.status_code == 200
    assert home["Cache-Control"] == "no-store, private"


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
