"""Visas and resident cards move to the ``issuance`` app (issue 25).

State only: the tables (casework_visa, casework_residentcard, casework_cardsequence,
named in the models' ``db_table``) stay where they are, with every row and
constraint, so an existing database keeps every card and visa it issued.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0016_audit_moves_to_its_own_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='CardSequence',
                ),
                migrations.RemoveField(
                    model_name='visa',
                    name='application',
                ),
                migrations.DeleteModel(
                    name='ResidentCard',
                ),
                migrations.DeleteModel(
                    name='Visa',
                ),
            ],
            database_operations=[],
        ),
    ]
