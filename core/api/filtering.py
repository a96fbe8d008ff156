"""The API's filter backend: django-filter, stricter than the HTML pages about empty values."""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    """A parameter sent empty is refused unless it takes text (`?q=` is fine, `?kind=` is not).

    HTML forms send empty fields, and the pages' FilterSets read them as absent; an API client that
    sends `?updated_since=` more likely has a bug than a wish, and the schema says it is no time.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not set(request.query_params) & set(filterset_class.base_filters):
            # Nothing to filter: skip building and validating the FilterSet's form (a few ms a
            # request). Its default ordering is applied here, as the FilterSet would.
            ordering = filterset_class.base_filters.get("ordering")
            return ordering.filter(queryset, None) if ordering is not None else queryset
        if filterset_class is not None:
            errors = {
                name: ["Give a value, or leave the parameter out."]
                for name, values in request.query_params.lists()
                if name in filterset_class.base_filters
                and "" in values
                and not _takes_text(filterset_class.base_filters[name])
            }
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


def _takes_text(filter_) -> bool:
    # CharFilter and its kin (ValuesFilter); not the box, the point, times, numbers or choices.
    return isinstance(filter_, django_filters.CharFilter)
