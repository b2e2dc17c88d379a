"""Visas and resident cards, taken over from casework (its migration 0017).

State only: the tables were made by casework's migrations and keep their names,
rows and constraints.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('casework', '0017_issuance_moves_to_its_own_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CardSequence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('prefix', models.CharField(max_length=14)),
                        ('sex', models.CharField(max_length=1)),
                        ('last', models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'casework_cardsequence',
                        'constraints': [models.UniqueConstraint(fields=('prefix', 'sex'), name='one_counter_per_prefix')],
                    },
                ),
                migrations.CreateModel(
                    name='Visa',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=9, unique=True)),
                        ('visa_type', models.CharField(max_length=2)),
                        ('valid_from', models.DateField()),
                        ('valid_until', models.DateField()),
                        ('entries', models.PositiveSmallIntegerField()),
                        ('stay_days', models.PositiveSmallIntegerField()),
                        ('mrz', models.JSONField()),
                        ('seal_hex', models.TextField()),
                        ('pdf_sha256', models.CharField(max_length=64)),
                        ('issued_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('application', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='visa', to='casework.application')),
                    ],
                    options={
                        'db_table': 'casework_visa',
                    },
                ),
                migrations.CreateModel(
                    name='ResidentCard',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(db_index=True, max_length=18)),
                        ('prefix', models.CharField(max_length=14)),
                        ('sex', models.CharField(max_length=1)),
                        ('sequence', models.PositiveSmallIntegerField()),
                        ('old_number', models.CharField(blank=True, db_index=True, max_length=15)),
                        ('valid_from', models.DateField()),
                        ('valid_until', models.DateField()),
                        ('reason', models.CharField(choices=[('first', 'First issue'), ('renewal', 'Renewal (validity ending)'), ('lost', 'Replacement: lost or stolen'), ('damaged', 'Replacement: damaged')], default='first', max_length=8)),
                        ('superseded_at', models.DateTimeField(blank=True, null=True)),
                        ('seal_hex', models.TextField(blank=True)),
                        ('photo_sha256', models.CharField(blank=True, max_length=64)),
                        ('front_sha256', models.CharField(blank=True, max_length=64)),
                        ('back_sha256', models.CharField(blank=True, max_length=64)),
                        ('pdf_sha256', models.CharField(blank=True, max_length=64)),
                        ('issued_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('application', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='resident_cards', to='casework.application')),
                        ('replaces', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replaced_by', to='issuance.residentcard')),
                    ],
                    options={
                        'db_table': 'casework_residentcard',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('replaces__isnull', True)), fields=('prefix', 'sex', 'sequence'), name='one_card_per_sequence'), models.UniqueConstraint(condition=models.Q(('replaces__isnull', True)), fields=('number',), name='one_first_issue_per_number'), models.UniqueConstraint(condition=models.Q(('superseded_at__isnull', True)), fields=('number',), name='one_current_card_per_number')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
