from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    # Later migrations (accounts 0003) add the permissions of models that do not exist yet here.
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), only_existing=True)


def remove_roles(apps, schema_editor):
    from accounts.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("hotspots", "0001_initial"),
        ("operations", "0002_contingents"),
        ("ingestion", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
