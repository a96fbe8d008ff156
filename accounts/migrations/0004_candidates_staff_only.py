from django.db import migrations

from accounts.roles import sync_roles


def sync(apps, schema_editor):
    # Place candidates are for staff review: the analyst role no longer reads them.
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_roles_api")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
