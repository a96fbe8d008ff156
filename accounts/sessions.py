"""Ending a user's browser sessions, when the way they must sign in changes (two-factor turned on)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def user_sessions_end(*, user, keep: str | None = None) -> int:
    """Delete every unexpired session signed in as ``user`` but the one keyed ``keep``; returns how many.

    Sessions do not index their user, so each unexpired one is decoded: a few hundred at most in a
    mission portal whose sessions last a working day (SESSION_COOKIE_AGE).
    """
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep or ""):
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
