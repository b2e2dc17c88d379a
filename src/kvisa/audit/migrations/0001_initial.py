"""The audit log's models, taken over from casework (its migration 0016).

State only: the tables were made by casework's migrations and keep their names and
rows; a new database gets them from there too.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("casework", "0016_audit_moves_to_its_own_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("sequence", models.PositiveBigIntegerField(blank=True, null=True,
                                                                    unique=True)),
                        ("previous_hash", models.CharField(blank=True, max_length=64)),
                        ("hash", models.CharField(blank=True, max_length=64)),
                        ("key_id", models.CharField(blank=True, max_length=32)),
                        ("actor", models.CharField(max_length=254)),
                        ("action", models.CharField(max_length=60)),
                        ("object_type", models.CharField(max_length=40)),
                        ("object_id", models.CharField(max_length=40)),
                        ("journal_action_id", models.PositiveBigIntegerField(
                            blank=True, null=True, unique=True)),
                        ("before", models.JSONField(blank=True, default=dict)),
                        ("after", models.JSONField(blank=True, default=dict)),
                        ("request_id", models.CharField(blank=True, max_length=64)),
                        ("created_at", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "casework_auditevent",
                        "ordering": ["id"],
                        "indexes": [models.Index(condition=models.Q(("sequence__isnull", True)),
                                                 fields=["id"], name="audit_unchained")],
                    },
                ),
                migrations.CreateModel(
                    name="AuditHead",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("last_sequence", models.PositiveBigIntegerField(default=0)),
                        ("last_hash", models.CharField(default="0" * 64, max_length=64)),
                    ],
                    options={"db_table": "casework_audithead"},
                ),
            ],
            database_operations=[],
        ),
    ]
