"""HTTP clients for the sources: they fetch bytes with timeouts and raise typed errors.

Retrying is the Celery task's job; a client makes one attempt and says what went wrong.
"""

from .feeds import FeedError, FeedFetchError, FeedResponse, FeedTransientError, fetch_feed
from .x_api import XApiClient, XApiError, XAuthError, XFetch, XPage, XRateLimited, XTransientError

__all__ = [
    "FeedError",
    "FeedFetchError",
    "FeedResponse",
    "FeedTransientError",
    "XApiClient",
    "XApiError",
    "XAuthError",
    "XFetch",
    "XPage",
    "XRateLimited",
    "XTransientError",
    "fetch_feed",
]
