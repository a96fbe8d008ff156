"""The admin index's "waiting for you": how many operation reports wait for the signed-in user."""

from django import template
from django.urls import reverse

from operations import services
from operations.models import OperationReport

register = template.Library()


@register.inclusion_tag("operations/admin/waiting.html", takes_context=True)
def reports_waiting(context):
    user = context["request"].user
    approver = services.user_is_approver(user)
    count = OperationReport.objects.filter(services.reports_waiting_for(user)).count()
    url = reverse("admin:operations_operationreport_changelist") + "?waiting=me"
    return {"count": count, "approver": approver, "url": url}
