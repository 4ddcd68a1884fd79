"""A local SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port): a real SMTP
conversation, the messages kept as they arrived."""
import socket
import threading
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class SmtpSink:
    """Start with .start(); .messages are the received messages, parsed."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.envelopes = []
        self.lock = threading.Lock()
        self.controller = None

    def start(self):
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        with self.lock:
            return [BytesParser(policy=policy.default).parsebytes(e.original_content)
                    for e in self.envelopes]

    def settings(self) -> dict:
        return {"email_enabled": True, "smtp_host": "127.0.0.1", "smtp_port": self.port,
                "smtp_security": "none", "smtp_username": "", "smtp_password": "",
                "smtp_timeout": 5, "mail_from": "complaints@redress.example"}
