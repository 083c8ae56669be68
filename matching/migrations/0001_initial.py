"""matching takes over the matching's models from capability_list, with their rows (issue #16).

capability_list 0011 renamed the tables to matching's names (matching_match, …) and dropped the
models from its state; here they enter matching's state on those tables, so nothing is created in
the database. The content types follow (app_label capability_list → matching), so permissions,
admin log entries and anything else keyed by a content type stay attached to the same models.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["matchingmodel", "match", "matchfeedback"]


def content_types_to_matching(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="capability_list", model__in=MOVED).update(app_label="matching")


def content_types_to_capability_list(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="matching", model__in=MOVED).update(app_label="capability_list")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("capability_list", "0011_matching_moved_out"),
        ("scenarios", "0004_updated_at_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MatchingModel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('building', '构建中'), ('active', '使用中'), ('superseded', '已替换'), ('failed', '失败')], db_index=True, default='building', max_length=12, verbose_name='状态')),
                        ('path', models.CharField(blank=True, max_length=200)),
                        ('scenarios', models.PositiveIntegerField(default=0)),
                        ('entries', models.PositiveIntegerField(default=0)),
                        ('pairs', models.PositiveIntegerField(default=0)),
                        ('stats', models.JSONField(blank=True, default=dict)),
                        ('started_at', models.DateTimeField(auto_now_add=True)),
                        ('fitted_at', models.DateTimeField(blank=True, null=True)),
                        ('activated_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': '匹配模型',
                        'verbose_name_plural': '匹配模型',
                        'ordering': ['-id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('state', 'active')), fields=('state',), name='one_active_matching_model')],
                    },
                ),
                migrations.CreateModel(
                    name='MatchFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('side', models.CharField(choices=[('publisher', '发榜方'), ('company', '企业')], max_length=10, verbose_name='反馈方')),
                        ('decision', models.CharField(choices=[('accepted', '接受'), ('declined', '不接受')], max_length=10, verbose_name='决定')),
                        ('reason', models.CharField(blank=True, choices=[('irrelevant', '不相关'), ('immature', '技术不成熟'), ('budget', '预算不符'), ('location', '地域不符'), ('has_supplier', '已有供应商')], max_length=14, verbose_name='原因')),
                        ('score', models.FloatField(blank=True, null=True)),
                        ('decided_at', models.DateTimeField(auto_now=True)),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='match_feedback', to='capability_list.capabilityentry')),
                        ('scenario', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='match_feedback', to='scenarios.scenario')),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('scenario', 'entry', 'side'), name='match_feedback_once_per_side'), models.CheckConstraint(condition=models.Q(models.Q(('decision', 'accepted'), ('reason', '')), models.Q(('decision', 'declined'), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='match_decline_has_reason')],
                    },
                ),
                migrations.CreateModel(
                    name='Match',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.FloatField(verbose_name='匹配度')),
                        ('text', models.FloatField()),
                        ('coverage', models.FloatField()),
                        ('fields', models.FloatField()),
                        ('district', models.FloatField()),
                        ('credential', models.FloatField()),
                        ('fit', models.FloatField()),
                        ('covered', models.JSONField(default=list)),
                        ('gaps', models.JSONField(default=list)),
                        ('explanation', models.CharField(max_length=500, verbose_name='匹配理由')),
                        ('signature', models.BigIntegerField(default=0)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('entry', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='capability_list.capabilityentry')),
                        ('scenario', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='scenarios.scenario')),
                        ('generation', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='matches', to='matching.matchingmodel')),
                    ],
                    options={
                        'indexes': [models.Index(fields=['entry', '-score'], name='match_by_entry')],
                        'constraints': [models.UniqueConstraint(fields=('scenario', 'entry'), name='match_once_per_pair')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_matching, content_types_to_capability_list),
    ]
