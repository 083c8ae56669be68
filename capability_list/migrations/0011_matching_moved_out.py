"""The matching's models leave capability_list for the matching app, rows and all (issue #16).

Database: the three tables get the names Django gives them in matching (capability_list_match →
matching_match, …); rows, ids, foreign keys, indexes and constraints go with the tables, and the
indexes and constraints named in the models (match_by_entry, match_once_per_pair, …) keep those
names. State: capability_list lets go of the models; matching 0001 takes them over on the renamed
tables and moves their content types.
"""

from django.db import migrations

TABLES = {
    "matchingmodel": "matching_matchingmodel",
    "match": "matching_match",
    "matchfeedback": "matching_matchfeedback",
}


class Migration(migrations.Migration):
    dependencies = [
        ("capability_list", "0010_verbose_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name=name, table=table) for name, table in TABLES.items()],
            state_operations=[
                # Match points at MatchingModel: it goes first.
                migrations.DeleteModel(name="Match"),
                migrations.DeleteModel(name="MatchFeedback"),
                migrations.DeleteModel(name="MatchingModel"),
            ],
        ),
    ]
