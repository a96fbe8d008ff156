"""Errors as JSON: a refused write names each field and its problem, whatever raised it."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .parsers import RequestTooLarge


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError (from a service or a model's clean) as `{field: [messages]}`."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def exception_handler(exc, context):
    """DRF's handler, plus the services' ValidationError as 400 (PermissionDenied is 403 already) and
    Django's own body limit (met when the body was read before DRF parsed it) as 413."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_detail(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge.for_request(context["request"]) or RequestTooLarge(str(exc))
    return drf_exception_handler(exc, context)
