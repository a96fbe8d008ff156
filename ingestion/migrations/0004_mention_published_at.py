"""Each mention carries its update's time, kept by the database: the map counts a period's mentions
per hotspot from one index range (analysis/activity.py), without looking up each update.

Triggers keep the copy right whatever writes the rows (the ORM, bulk inserts, a queryset update,
SQL by hand): a mention written takes its update's time; an update whose time changes passes it
on to its mentions. PostgreSQL and SQLite each get their own.
"""

from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION ingestion_mention_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.published_at := (SELECT published_at FROM ingestion_update WHERE id = NEW.update_id);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER ingestion_mention_published_at BEFORE INSERT OR UPDATE ON ingestion_mention
    FOR EACH ROW EXECUTE FUNCTION ingestion_mention_published_at()
    """,
    """
    CREATE FUNCTION ingestion_update_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE ingestion_mention SET published_at = NEW.published_at WHERE update_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER ingestion_update_published_at AFTER UPDATE OF published_at ON ingestion_update
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION ingestion_update_published_at()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS ingestion_update_published_at ON ingestion_update",
    "DROP FUNCTION IF EXISTS ingestion_update_published_at()",
    "DROP TRIGGER IF EXISTS ingestion_mention_published_at ON ingestion_mention",
    "DROP FUNCTION IF EXISTS ingestion_mention_published_at()",
]
# SQLite's triggers run after the row is written, and (recursive triggers being off) do not fire
# again for the row they correct.
SQLITE = [
    """
    CREATE TRIGGER ingestion_mention_published_at_insert AFTER INSERT ON ingestion_mention BEGIN
        UPDATE ingestion_mention
           SET published_at = (SELECT published_at FROM ingestion_update WHERE id = NEW.update_id)
         WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER ingestion_mention_published_at_update AFTER UPDATE ON ingestion_mention BEGIN
        UPDATE ingestion_mention
           SET published_at = (SELECT published_at FROM ingestion_update WHERE id = NEW.update_id)
         WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER ingestion_update_published_at AFTER UPDATE OF published_at ON ingestion_update
    WHEN OLD.published_at IS NOT NEW.published_at BEGIN
        UPDATE ingestion_mention SET published_at = NEW.published_at WHERE update_id = NEW.id;
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS ingestion_update_published_at",
    "DROP TRIGGER IF EXISTS ingestion_mention_published_at_update",
    "DROP TRIGGER IF EXISTS ingestion_mention_published_at_insert",
]
COPY_EXISTING = (
    "UPDATE ingestion_mention SET published_at = "
    "(SELECT published_at FROM ingestion_update WHERE ingestion_update.id = ingestion_mention.update_id)"
)


def _run(statements: dict):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"No triggers for {vendor}: the mentions' times would not be kept.")
        for statement in statements[vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("hotspots", "0001_initial"),
        ("ingestion", "0003_update_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="mention",
            name="published_at",
            field=models.DateTimeField(
                editable=False, help_text="The update's time, kept by the database.", null=True
            ),
        ),
        # The triggers first, then the copy: an update changed while this runs is caught by one or
        # the other.
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
        migrations.RunSQL(COPY_EXISTING, migrations.RunSQL.noop, elidable=True),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(fields=["published_at", "hotspot", "update"], name="mention_published_idx"),
        ),
    ]
