from django.db import migrations

# The announced contingents' countries in Kreyòl (locale/GLOSSARY.md); staff name others in the admin.
NAMES_HT = {
    "KE": "Kenya",
    "JM": "Jamayik",
    "BZ": "Beliz",
    "BS": "Bahamas",
    "GT": "Gwatemala",
    "SV": "Salvadò",
    "BJ": "Benen",
    "TD": "Tchad",
    "BD": "Bangladèch",
    "BB": "Babad",
    "AG": "Antigwa ak Babouda",
}


def name_in_kreyol(apps, schema_editor):
    Contingent = apps.get_model("operations", "Contingent")
    for code, name_ht in NAMES_HT.items():
        Contingent.objects.filter(country_code=code, name_ht="").update(name_ht=name_ht)


class Migration(migrations.Migration):
    dependencies = [("operations", "0007_verbose_names")]

    operations = [migrations.RunPython(name_in_kreyol, migrations.RunPython.noop)]
