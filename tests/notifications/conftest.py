import pytest

from tests.support.smtp import SmtpServer


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a callable, then what it queued for after the commit (the notifications' tasks), as a
    commit would: database tests run inside a transaction that never commits."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def smtp_server():
    with SmtpServer() as server:
        yield server
