"""The portal's roles as groups with model permissions.

analyst   reads everything on the map and pages; no admin.
reporter  staff who enter and correct operation reports and training records, and review updates.
approver  a reporter who may also approve reports and correct hotspots.
partner   reads through the API only what is releasable to partners (accounts.view_releasable) and
          manages its own webhook subscriptions; no permission on the mission's records.
Admins are superusers.
"""

ANALYST = "analyst"
REPORTER = "reporter"
APPROVER = "approver"
PARTNER = "partner"
# Not a group: admins are superusers. Named for the rule that may require them a second factor.
ADMIN = "admin"

# Reading what is releasable to partners, and no more: what a partner's API token may do.
RELEASABLE_PERMISSION = "accounts.view_releasable"

_READ = [
    "hotspots.view_hotspot",
    "hotspots.view_hotspotalias",
    "hotspots.view_adminarea",
    "hotspots.view_referenceplace",
    "operations.view_contingent",
    "operations.view_operationreport",
    "operations.view_trainingrecord",
    "ingestion.view_source",
    "ingestion.view_post",
    "ingestion.view_update",
    "ingestion.view_mention",
]
_REPORT = [
    # Place candidates wait for staff review: staff read them, analysts do not.
    "ingestion.view_placecandidate",
    "operations.add_operationreport",
    "operations.change_operationreport",
    "operations.add_trainingrecord",
    "operations.change_trainingrecord",
    "ingestion.add_post",
    "ingestion.change_post",
    "ingestion.change_update",
    "ingestion.change_placecandidate",
    "ingestion.view_rejectedrecord",
    "hotspots.add_hotspotalias",
    "hotspots.change_hotspotalias",
]
_APPROVE = [
    "operations.approve_operationreport",
    "hotspots.add_hotspot",
    "hotspots.change_hotspot",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ANALYST: _READ,
    REPORTER: _READ + _REPORT,
    APPROVER: _READ + _REPORT + _APPROVE,
    PARTNER: [
        RELEASABLE_PERMISSION,
        "webhooks.view_webhooksubscription",
        "webhooks.add_webhooksubscription",
        "webhooks.change_webhooksubscription",
        "webhooks.delete_webhooksubscription",
    ],
}

# Roles whose members work in the admin (they need is_staff).
ADMIN_ROLES = frozenset({REPORTER, APPROVER})


def sync_roles(group_model, permission_model, *, only_existing: bool = False) -> None:
    """Create the role groups and set exactly their permissions.

    Takes the models as arguments so a data migration can pass its historical models. An early
    migration passes ``only_existing``: permissions of models created by later migrations do not
    exist yet there, and the later migration that syncs the roles again adds them.
    """
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                if only_existing:
                    continue
                raise permission_model.DoesNotExist(f"No permission {dotted}: is its migration applied?")
            wanted.append(permission)
        group.permissions.set(wanted)
