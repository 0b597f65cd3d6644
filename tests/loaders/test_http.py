import dataclasses
import time

import pytest

from loaders._http import HttpClient, ResponseFormatError
from socialbasis.errors import ServiceError
from tests.loaders.server import Reply


def client(settings, **changes):
    return HttpClient(dataclasses.replace(settings, **changes))


def test_retries_on_5xx_and_429_then_succeeds(service, service_settings):
    service.route(
        "/a", Reply("busy", 503), Reply("slow down", 429, {"Retry-After": "0"}), {"ok": True}
    )
    with client(service_settings) as http:
        fetched = http.json("Test", f"{service.url}/a")
    assert fetched.body == {"ok": True} and not fetched.from_cache
    assert service.count("/a") == 3


def test_gives_up_after_the_retries_with_the_service_name(service, service_settings):
    service.route("/a", Reply("down", 503))
    with client(service_settings) as http, pytest.raises(ServiceError) as caught:
        http.json("PDOK", f"{service.url}/a")
    assert "PDOK" in str(caught.value) and "opnieuw" in str(caught.value)
    assert service.count("/a") == 1 + service_settings.http_retries


def test_client_errors_are_not_retried(service, service_settings):
    service.route("/a", Reply({"error": "no"}, 404))
    with client(service_settings) as http, pytest.raises(ServiceError, match="HTTP 404"):
        http.json("CBS", f"{service.url}/a")
    assert service.count("/a") == 1


def test_timeout_is_an_error_that_says_so(service, service_settings):
    service.route("/slow", Reply({"late": True}, delay=1.5))
    with (
        client(service_settings, http_timeout=0.3, http_retries=0) as http,
        pytest.raises(ServiceError, match=r"geen antwoord binnen 0.3 seconden"),
    ):
        http.json("Overpass", f"{service.url}/slow")


def test_connection_refused_says_what_to_do(service_settings):
    with (
        client(service_settings, http_retries=0) as http,
        pytest.raises(ServiceError, match="SOCIALBASIS_OFFLINE=1"),
    ):
        http.json("Locatieserver", "http://127.0.0.1:9/nothing")


def test_successful_responses_are_cached_and_used_offline(service, service_settings):
    service.route("/a", {"n": 1})
    with client(service_settings) as http:
        first = http.json("Test", f"{service.url}/a", params={"q": "x"})
        second = http.json("Test", f"{service.url}/a", params={"q": "x"})
    assert (first.from_cache, second.from_cache) == (False, True)
    with client(service_settings, offline=True) as http:
        offline = http.json("Test", f"{service.url}/a", params={"q": "x"})
        assert offline.body == {"n": 1} and offline.from_cache
        with pytest.raises(ServiceError, match="offline en niet in de cache"):
            http.json("Test", f"{service.url}/a", params={"q": "other"})
    assert service.count("/a") == 1


def test_refresh_bypasses_the_cache(service, service_settings):
    service.route("/a", {"n": 1}, {"n": 2})
    with client(service_settings) as http:
        http.json("Test", f"{service.url}/a")
    with HttpClient(service_settings, refresh=True) as http:
        assert http.json("Test", f"{service.url}/a").body == {"n": 2}


def test_garbage_is_refused_and_not_cached(service, service_settings):
    service.route(
        "/a", Reply("<html>Onderhoud</html>", headers={"Content-Type": "text/html"}), {"n": 1}
    )
    with client(service_settings) as http:
        with pytest.raises(ServiceError, match=r"geen JSON.*Onderhoud"):
            http.json("PDOK", f"{service.url}/a")
        assert http.json("PDOK", f"{service.url}/a").body == {"n": 1}
    assert service.count("/a") == 2


def test_a_refusing_parser_drops_the_cached_copy(service, service_settings):
    service.route("/a", {"wrong": 1}, {"features": []})

    def parse(body):
        if "features" not in body:
            raise ResponseFormatError("verwacht 'features', kreeg wrong")
        return body["features"]

    with client(service_settings) as http:
        with pytest.raises(ServiceError, match="verwacht 'features'"):
            http.json("PDOK", f"{service.url}/a", parse=parse)
        assert http.json("PDOK", f"{service.url}/a", parse=parse).body == []


def test_user_agent_and_post_bodies(service, service_settings):
    service.route("/p", {"a": 1}, {"b": 2})
    with client(service_settings) as http:
        one = http.json("Overpass", f"{service.url}/p", method="POST", data={"data": "q1"})
        two = http.json("Overpass", f"{service.url}/p", method="POST", data={"data": "q2"})
        again = http.json("Overpass", f"{service.url}/p", method="POST", data={"data": "q1"})
    assert (one.body, two.body, again.body) == ({"a": 1}, {"b": 2}, {"a": 1})
    assert service.requests[0].headers["User-Agent"] == service_settings.user_agent
    assert service.requests[0].body == "data=q1"


def test_a_service_that_drips_bytes_is_cut_off_at_the_deadline(service, service_settings):
    service.route("/a", Reply({"n": "x" * 200}, drip=0.05))
    started = time.monotonic()
    with client(service_settings, http_deadline=1.0) as http, pytest.raises(ServiceError) as caught:
        http.json("PDOK", f"{service.url}/a")
    assert "niet binnen 1 seconden" in str(caught.value)
    assert time.monotonic() - started < 5


def test_a_fetch_step_has_a_total_deadline(service, service_settings):
    service.route("/a", Reply({"n": 1}, delay=0.4))
    with client(service_settings, fetch_step_deadline=0.5) as http, http.step("Grenzen"):
        http.json("PDOK", f"{service.url}/a", params={"p": 1})
        with pytest.raises(ServiceError, match=r"stap 'Grenzen' duurde langer dan 0\.5"):
            http.json("PDOK", f"{service.url}/a", params={"p": 2})
            http.json("PDOK", f"{service.url}/a", params={"p": 3})


def test_retry_after_is_capped(service, service_settings):
    service.route("/a", Reply("later", 429, {"Retry-After": "3600"}), {"ok": True})
    started = time.monotonic()
    with client(service_settings, http_retry_after_max=0.2) as http:
        assert http.json("Test", f"{service.url}/a").body == {"ok": True}
    assert time.monotonic() - started < 5


def test_an_answer_larger_than_the_cap_is_refused(service, service_settings):
    service.route("/a", {"n": "x" * 5000})
    with (
        client(service_settings, http_max_bytes=1000) as http,
        pytest.raises(ServiceError, match="groter dan"),
    ):
        http.json("Test", f"{service.url}/a")


def test_a_connection_cut_mid_answer_is_a_clear_error(service, service_settings):
    service.route("/a", Reply({"n": "x" * 5000}, cut_after=100))
    with client(service_settings, http_retries=0) as http, pytest.raises(ServiceError) as caught:
        http.json("Test", f"{service.url}/a")
    assert "Test" in str(caught.value)
