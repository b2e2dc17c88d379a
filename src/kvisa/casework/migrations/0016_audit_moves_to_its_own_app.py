"""The audit log's models move to the ``audit`` app (issue 25).

State only: the tables stay where they are (``casework_auditevent``,
``casework_audithead``, named in the models' ``db_table``), with every row, so an
existing database keeps its chain exactly as it was.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0015_enquiry_count"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="AuditHead"),
            ],
            database_operations=[],
        ),
    ]
