"""The benchmark's floor view, as bench/run.py's gunicorn (BENCH=true) serves it."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.bench.urls")]


def test_floor_view_is_plain_text_without_session(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/floor")
    assert response.content == b"ok\n"
    assert "Set-Cookie" not in response.headers
