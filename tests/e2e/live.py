"""What the browser tests need of the live server beyond pytest-django's fixture."""

import threading
import time

from django.core.signals import request_finished, request_started


class _InFlight:
    """The live server's requests still being answered (it answers each in a thread of its own).

    Closing a browser context abandons its requests, but the server goes on answering them; the
    next test's database flush must wait for them, or it meets rows (and locks) they still hold.
    """

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()
        request_started.connect(self.started, weak=False)
        request_finished.connect(self.finished, weak=False)

    # Only the live server's threads count: the test's own thread also sends these signals (the
    # test client's requests, tests that start a request by hand).
    def started(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count += 1

    def finished(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            with self.lock:
                self.count = max(0, self.count - 1)

    def settle(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while self.count and time.monotonic() < deadline:
            time.sleep(0.02)


IN_FLIGHT = _InFlight()


def close_context(context):
    """Close a browser context, then wait until the live server has answered what it had begun."""
    context.close()
    IN_FLIGHT.settle()
