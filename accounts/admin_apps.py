from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (two-factor sign-in) as the default site.

    Kept out of accounts/apps.py: Django would take it for that app's default config.
    """

    default_site = "accounts.admin_site.PortalAdminSite"
