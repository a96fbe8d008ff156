"""Writes to hotspots and their aliases."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.text import normalise

from .choices import Confidence
from .models import AdminArea, Hotspot, HotspotAlias, ReferencePlace


@transaction.atomic
def alias_add(*, hotspot: Hotspot, text: str, language: str) -> HotspotAlias:
    """Give a hotspot another name; an alias it already has (after normalising) is returned as is."""
    key = normalise(text)
    existing = hotspot.aliases.filter(normalised=key).first()
    if existing is not None:
        return existing
    alias = HotspotAlias(hotspot=hotspot, text=text.strip(), language=language)
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def hotspot_create_from_reference(*, name: str, slug: str, kind: str, reference: str, origin: str) -> Hotspot:
    """A new hotspot from a reference place: placed at its point with low confidence, for staff to refine."""
    if Hotspot.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("A hotspot with the slug “%(slug)s” already exists.") % {"slug": slug}}
        )
    location, commune, adm = None, "", {}
    if origin == "commune":  # a commune or communal section of COD-AB, by P-code
        area = AdminArea.objects.filter(pcode=reference).select_related("parent__parent").first()
        if area is not None:
            location = area.point
            chain = [area, area.parent, area.parent.parent if area.parent else None]
            codes = {f"adm{a.level}_pcode": a.pcode for a in chain if a is not None}
            commune = next((a.name_fr for a in chain if a is not None and a.level == 2), "")
            adm = codes
    elif reference.isdigit():
        place = ReferencePlace.objects.filter(wof_id=int(reference)).first()
        if place is not None:
            location, commune = place.location, place.adm2_name
            adm = {
                "adm1_pcode": place.adm1_pcode,
                "adm2_pcode": place.adm2_pcode,
                "adm3_pcode": place.adm3_pcode,
            }
    hotspot = Hotspot(
        slug=slug,
        name=name,
        kind=kind,
        location=location,
        commune=commune,
        confidence=Confidence.LOW if location else Confidence.NONE,
        coordinate_source=f"Promoted from place candidate ({origin} {reference})",
        **adm,
    )
    hotspot.full_clean()
    hotspot.save()
    return hotspot
