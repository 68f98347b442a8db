"""The tests' own http.server (support.StaticServer) takes a client hanging up as normal, and only that.

A browser that closes a context while the checker's runtime is still downloading resets the
connection; that used to print "Exception occurred during processing of request" and a traceback
into the suite's output. Any other failure of a request must still be reported.
"""

import socket
import struct
import threading
import time

import pytest

from support import StaticServer

BIG = "assets/pyodide/*/pyodide.asm.wasm"  # megabytes: still being sent when the client hangs up


def _requests_in_flight():
    """The server threads still handling a request."""
    return [t for t in threading.enumerate() if "process_request_thread" in t.name]


def _wait_for_requests(timeout=10):
    """Until every request has been handled (or `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while _requests_in_flight() and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.fixture
def watched_server(site_dir, monkeypatch):
    """A StaticServer whose error reports (socketserver's handle_error) are recorded, not printed."""
    found = sorted(site_dir.glob(BIG))
    if not found:
        pytest.fail(f"site/{BIG} is missing: run `make site`")
    srv = StaticServer(site_dir)
    srv.big = found[0].relative_to(site_dir).as_posix()
    srv.reported = []
    monkeypatch.setattr(srv.httpd, "handle_error", lambda request, address: srv.reported.append(address))
    yield srv
    srv.close()


def _hang_up_during(srv, path):
    """GET `path`, read a little of the answer, then reset the connection (as a closed tab does)."""
    host, port = srv.httpd.server_address
    with socket.create_connection((host, port)) as sock:
        sock.sendall(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert sock.recv(65536).startswith(b"HTTP/1.0 200")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
    _wait_for_requests()


def test_a_client_that_hangs_up_mid_download_is_not_reported_as_an_error(watched_server):
    for _ in range(3):
        _hang_up_during(watched_server, watched_server.big)
    assert watched_server.reported == []


def test_any_other_failure_of_a_request_is_still_reported(watched_server, monkeypatch):
    handler = watched_server.httpd.RequestHandlerClass.func

    def broken(self):
        """A handler with a bug."""
        raise ValueError("a real bug in the handler")

    monkeypatch.setattr(handler, "do_GET", broken)
    host, port = watched_server.httpd.server_address
    with socket.create_connection((host, port)) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        sock.recv(1024)
    _wait_for_requests()
    assert len(watched_server.reported) == 1
