import pytest


@pytest.fixture(autouse=True)
def _sources_may_be_polled_on_loopback(settings):
    # The stand-in X API and feed servers listen on 127.0.0.1, which polling refuses otherwise.
    settings.SOURCE_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a callable, then the on_commit callbacks it queued (processing), as a real commit would.

    Database tests run inside a transaction that never commits, so queued tasks would never start.
    """

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
