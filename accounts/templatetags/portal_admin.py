"""Template filters of the admin's pages."""

from django import template

from core.admin_utils import user_label as _user_label

register = template.Library()


@register.filter
def user_label(user) -> str:
    """A person as the admin names them (full name or username; "no account…" for none)."""
    return _user_label(user)
