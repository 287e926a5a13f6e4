"""A path without a language prefix is sent to the visitor's language, but only where the
site has languages: a missing page of the admins stays a 404 there."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/999999/",
        "/admin/no-such-view/",
        "/admin/snippets/directory/service/edit/00000000-0000-0000-0000-000000000000/",
        "/django-admin/no-such-view/",
        "/documents/999999/",
    ],
)
def test_a_missing_page_outside_the_languages_is_a_404_where_it_was_asked_for(
    superuser_client, path
):
    response = superuser_client.get(path)
    assert response.status_code == 404, response.get("Location")
    assert "Accept-Language" in response["Vary"]


def test_the_hsds_api_answers_a_missing_path_in_json(client):
    response = client.get("/api/hsds/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/about-us/", "/no-such-page/", "/find-help/?q=grief"])
def test_a_public_path_without_a_language_is_sent_to_the_visitors_language(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 302
    assert response["Location"] == "/cy" + path
