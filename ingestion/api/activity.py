"""The hotspot activity count ingestion contributes: updates naming each hotspot."""

from django.db.models import Count, IntegerField, OuterRef, Subquery

from hotspots.api.activity import ActivityCounter, register

from ..models import Mention, Update


def _updates(user):
    if Update.objects.all_visible_to(user):
        # Members see every update: the mentions alone answer, from their hotspot index.
        rows = Mention.objects.filter(hotspot_id=OuterRef("pk")).order_by().values("hotspot_id")
    else:
        rows = (
            Update.objects.visible_to(user)
            .filter(mentions__hotspot=OuterRef("pk"))
            .order_by()
            .values("mentions__hotspot")
        )
    counted = rows.annotate(n=Count("update_id" if rows.model is Mention else "pk", distinct=True)).values(
        "n"
    )
    return Subquery(counted, output_field=IntegerField())


register(ActivityCounter("updates", "Updates naming the hotspot that you may see.", _updates))
