"""The unread count beside "Notifications" in the pages' header and on the admin index."""

from django import template

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notifications_link(context):
    user = context["request"].user
    return {
        "count": unread_count(user) if user.is_authenticated else 0,
        "current": context.get("nav") == "notifications",
    }
