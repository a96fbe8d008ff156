"""Request rates: DRF's own throttles, counting in Django's cache (Redis in production, shared by
every process). The rates are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`: "user" per user (a token
counts for its user), "anon" per client address; over a rate, 429 with Retry-After."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rest_framework import throttling
from rest_framework.settings import api_settings

log = logging.getLogger(__name__)


class _CacheOutageLetsThrough:
    """Two changes to DRF's throttle: the rates are read when a throttle is made, not once at import
    (so that settings changed later apply), and a cache that cannot be reached lets the request
    through, logged, instead of failing it: an outage of Redis must not take the API down with it."""

    def __init__(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        super().__init__()

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            log.error("request rates cannot be checked (cache unavailable), request let through: %s", exc)
            return True


class UserRateThrottle(_CacheOutageLetsThrough, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(_CacheOutageLetsThrough, throttling.AnonRateThrottle):
    pass
