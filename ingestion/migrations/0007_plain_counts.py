"""Mentions no longer carry a copy of their update's time: the map counts a period's updates per
hotspot from the updates themselves (analysis/activity.py), and the triggers that kept the copy
(0004) go with it."""

import importlib

from django.db import migrations

_TRIGGERS = importlib.import_module("ingestion.migrations.0004_mention_published_at")


def _run(statements: dict):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0006_train_kind_model_schedule"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": _TRIGGERS.POSTGRESQL_REVERSE, "sqlite": _TRIGGERS.SQLITE_REVERSE}),
            _run({"postgresql": _TRIGGERS.POSTGRESQL, "sqlite": _TRIGGERS.SQLITE}),
        ),
        migrations.RemoveIndex(
            model_name="mention",
            name="mention_published_idx",
        ),
        migrations.RemoveField(
            model_name="mention",
            name="published_at",
        ),
    ]
