"""Rate limits and sign-in lockouts count per client, also behind the reverse proxy."""

from django.test import RequestFactory

from core.throttle import client_ip


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_behind_the_trusted_proxy_the_client_is_the_address_it_appended(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    # A client's own header comes first; the proxy's appended address is the last.
    assert client_ip(request("127.0.0.1", "10.9.9.9, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"


def test_anyone_else_cannot_choose_their_address_by_a_header(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


def test_a_forwarded_value_that_is_not_an_address_is_not_used(settings):
    # axes stores the address in an address column: text there would fail the INSERT.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request("127.0.0.1", "unknown")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "203.0.113.5, " + "x" * 300)) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "2001:db8::1")) == "2001:db8::1"
