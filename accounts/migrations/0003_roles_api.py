from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_roles


def sync(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); the roles need them now:
    # the partner role reads what is releasable (accounts.view_releasable) and keeps webhooks.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("webhooks", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
