import pytest

from tests.support.receiver import WebhookReceiver


@pytest.fixture(autouse=True)
def _webhooks_may_call_loopback(settings):
    # The receiver listens on 127.0.0.1 over plain HTTP, which production settings refuse.
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def receiver():
    with WebhookReceiver() as server:
        yield server


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a callable, then what it queued for after the commit (fan-out, deliveries), as a commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
