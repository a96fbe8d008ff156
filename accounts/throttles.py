"""Request rates per token (or per signed-in user), kept in Django's cache."""

from __future__ import annotations

import functools
import logging
import secrets

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken

log = logging.getLogger(__name__)

# DRF's sliding window (the times of the requests of the last period; over the rate, refused), done
# in Redis in one atomic step: a sorted set of request times per client. Returns {1, 0} when the
# request is let through (and noted), {0, oldest time} when it is refused.
_SLIDING_WINDOW = """
local now, period, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
if redis.call('ZCARD', KEYS[1]) >= limit then
  return {0, redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(period))
return {1, 0}
"""


class TokenRateThrottle(SimpleRateThrottle):
    """`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]` requests per token; over it, 429 with Retry-After.

    Each token has its own budget, so one partner system cannot starve another of the same user.
    Where the cache is Redis the count is one atomic round trip (`_SLIDING_WINDOW`) instead of DRF's
    read and write of the whole list of times, which two workers could also interleave.
    """

    scope = "api"

    def get_rate(self):
        # Read when used, not at import, so that settings can change (tests, reloads).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return self._allow_request(request, view)
        except Exception as exc:
            # The cache is away: the API keeps answering, unthrottled, until it is back (an outage
            # of the cache must not take the API down with it). Logged on every request meanwhile.
            log.error("request rates cannot be checked (cache unavailable), request let through: %s", exc)
            return True

    def _allow_request(self, request, view):
        cache = caches["default"]
        if self.rate is None or not isinstance(cache, RedisCache):
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        self.now = self.timer()
        member = f"{self.now!r}-{secrets.token_hex(4)}"
        allowed, oldest = _sliding_window(cache._cache)(
            # Its own key: DRF's list of times under the plain key is another Redis type.
            keys=[cache.make_key(f"{self.key}:window")],
            args=[self.now, self.duration, self.num_requests, member],
        )
        if allowed:
            return True
        # As DRF's wait(): the oldest request of the window leaves it after this long.
        self.history = [float(oldest)] * self.num_requests
        return self.throttle_failure()


@functools.lru_cache(maxsize=4)
def _sliding_window(cache_client):
    # One client per cache: Django's RedisCache builds a new one (with its ~200 reply callbacks) on
    # every call. The script is sent once, then called by its digest (EVALSHA).
    return cache_client.get_client(write=True).register_script(_SLIDING_WINDOW)
