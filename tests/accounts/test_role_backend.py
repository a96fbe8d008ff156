"""RoleBackend gives every user the permissions Django's ModelBackend gives, in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from accounts.backends import RoleBackend

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache yet


@pytest.mark.parametrize("role", ["analyst", "reporter", "approver", "partner", "admin"])
def test_the_same_permissions_as_model_backend(role, make_user, django_assert_num_queries):
    user = make_user(role)
    # A permission of the user's own, beside the role's.
    user.user_permissions.add(Permission.objects.get(codename="view_apitoken"))
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert expected
    fresh = _fresh(user)
    with django_assert_num_queries(1):
        assert RoleBackend().get_all_permissions(fresh) == expected
        assert fresh.has_perm(next(iter(expected)))  # read once per request, then kept on the user


def test_an_inactive_user_has_none(make_user):
    user = make_user("approver")
    user.is_active = False
    user.save()
    assert RoleBackend().get_all_permissions(_fresh(user)) == set()
    assert not _fresh(user).has_perm("operations.view_operationreport")
