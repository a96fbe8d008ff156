"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps the messages it receives, and can refuse the
next ones with a temporary error, as a mail server that is busy does."""

from __future__ import annotations

import email
import socket
import threading
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused = 0
        self._refuse = 0
        self._lock = threading.Lock()
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, server_hostname="localhost")

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def refuse_next(self, count: int) -> None:
        with self._lock:
            self._refuse = count

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        with self._lock:
            if self._refuse:
                self._refuse -= 1
                self.refused += 1
                return "451 Try again later"
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()
