"""API token uses are no longer buffered in Redis: the schedule 0005 added for their flush goes."""

from django.db import migrations

NAME = "Write buffered API token uses"  # as 0005 named it


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=NAME, task="accounts.flush_api_token_uses"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_flush_api_token_uses"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    # Going back does not bring the schedule back: the task it ran no longer exists.
    operations = [migrations.RunPython(remove_schedule, migrations.RunPython.noop)]
