"""The API's one permission rule, set globally in REST_FRAMEWORK (NetBox-style).

Reading needs the model's `view` permission, or, on the collections partners may read, the
partner permission (accounts.view_releasable); the view's queryset then narrows what is seen.
Writing needs the model's `add` or `change` permission; the services decide the rest (whose
report, which state). Without credentials the answer is 401. A serializer asks
`is_partner_reader` whether to show a record as a partner sees it.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.releasability import Releasability, reader_level
from accounts.roles import RELEASABLE_PERMISSION
from core.api.fields import reader

_WRITE_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def _model_permission(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


class RolePermission(BasePermission):
    """Model permissions from the user's role, and the partner permission for releasable reads.

    A view may set `read_permissions` (any of them lets a user read) and `partner_readable`.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        model = view.queryset.model
        if request.method in SAFE_METHODS:
            wanted = list(getattr(view, "read_permissions", None) or [_model_permission(model, "view")])
            if getattr(view, "partner_readable", False):
                wanted.append(RELEASABLE_PERMISSION)
            return any(user.has_perm(perm) for perm in wanted)
        action = _WRITE_ACTIONS.get(request.method)
        return action is not None and user.has_perm(_model_permission(model, action))


def is_partner_reader(serializer, member_permission: str) -> bool:
    """True when the reader sees the record from outside the mission (as a partner does), not as a
    member of it; also when the serializer knows no reader."""
    user = reader(serializer)
    if user is None:
        return True
    return reader_level(user, member_permission) != Releasability.MISSION
