from django.db import migrations

# The mission's contingents as announced (Kenya leads). Staff add others in the admin.
CONTINGENTS = [
    ("KE", "Kenya", "Kenya"),
    ("JM", "Jamaica", "Jamaïque"),
    ("BZ", "Belize", "Belize"),
    ("BS", "The Bahamas", "Bahamas"),
    ("GT", "Guatemala", "Guatemala"),
    ("SV", "El Salvador", "Salvador"),
    ("BJ", "Benin", "Bénin"),
    ("TD", "Chad", "Tchad"),
    ("BD", "Bangladesh", "Bangladesh"),
    ("BB", "Barbados", "Barbade"),
    ("AG", "Antigua and Barbuda", "Antigua-et-Barbuda"),
]


def add_contingents(apps, schema_editor):
    Contingent = apps.get_model("operations", "Contingent")
    for code, name, name_fr in CONTINGENTS:
        Contingent.objects.get_or_create(country_code=code, defaults={"name": name, "name_fr": name_fr})


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]

    operations = [migrations.RunPython(add_contingents, migrations.RunPython.noop)]
