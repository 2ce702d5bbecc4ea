"""The loopback guard itself: a test that reaches out fails, loopback works."""

from __future__ import annotations

import socket

import pytest


def test_public_address_is_refused() -> None:
    with socket.socket() as sock, pytest.raises(OSError, match="only loopback"):
        sock.connect(("93.184.216.34", 80))


def test_public_name_is_not_resolved() -> None:
    with pytest.raises(OSError, match="only loopback"):
        socket.getaddrinfo("api.twilio.com", 443)


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
            assert client.getpeername() == server.getsockname()
