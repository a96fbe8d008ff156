"""A record's contingents as the API shows them (their codes, in their names' order), read in the
record's own query (core/api/related.py): reports, training records and updates alike."""

from django.db.models import F, Subquery

from core.api.related import related_json, rows_of


def contingents_json(through, link: str) -> Subquery:
    """The contingents of each record of the outer query, through its many-to-many ``through`` table
    whose key to the record is ``link``; read back with `contingent_codes`."""
    return related_json(through, link, F("contingent__name"), F("contingent__country_code"))


def contingent_codes(text: str | None) -> list[str]:
    """The country codes of a `contingents_json` list, in the contingents' names' order."""
    return [code for _, code in rows_of(text)]
