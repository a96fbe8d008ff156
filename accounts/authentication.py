"""`Authorization: Bearer <token>` for the REST API, with every use logged."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import services
from .two_factor import MISSING, UNVERIFIED, second_factor_gap

log = logging.getLogger(__name__)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A token issued by `manage.py issue_api_token`, sent as `Authorization: Bearer <token>`.

    Listed first among the authentication classes, so that a request without credentials is
    answered 401 with a `WWW-Authenticate: Bearer` challenge rather than 403.
    """

    keyword = b"bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as 'Authorization: Bearer <token>'.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token contains characters a token never has.") from exc
        token = services.api_token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, expired or revoked.")
        method, path, address = request.method, request.get_full_path(), request.META.get("REMOTE_ADDR")

        def record() -> None:
            try:
                services.api_token_record_use(token=token, method=method, path=path, remote_addr=address)
            except Exception:
                # Run after the response, where Django would swallow it: say so in the log at least.
                log.exception("could not log the use of API token %s", token.prefix)

        # A view that can write the log once its answer is on its way (MissionViewMixin) is given the
        # writing to do; any other view has it done now.
        view = (getattr(request, "parser_context", None) or {}).get("view")
        defer = getattr(view, "after_response", None)
        if defer is not None:
            defer(record)
        else:
            record()
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TwoFactorSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, under the pages' and the admin's rule (accounts/two_factor.py): a user
    with a second factor is refused a session that did not give it, and a user whose role requires
    one is refused until one is set up (the pages and the admin send that user to set it up)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        gap = second_factor_gap(result[0]) if result is not None else None
        if gap == UNVERIFIED:
            raise exceptions.AuthenticationFailed(
                "This session did not give the authenticator code: sign in again with it."
            )
        if gap == MISSING:
            raise exceptions.AuthenticationFailed(
                _(
                    "Your role requires a second factor: set up an authenticator app or a passkey on the "
                    "admin's two-factor page, then use this session again."
                ),
                code="second_factor_required",
            )
        return result


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI document (and gives Swagger UI its Authorize box)."""

    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token from `manage.py issue_api_token USERNAME`, sent as `Authorization: Bearer <token>`."
            ),
        }


class TwoFactorSessionScheme(SessionScheme):
    """The session cookie in the OpenAPI document, as DRF's own session authentication is described."""

    target_class = "accounts.authentication.TwoFactorSessionAuthentication"
