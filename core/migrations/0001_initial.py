"""The audit records, jobs and notifications move from accounts to core without losing a row.

The tables stay where they are in this step: core takes over the models in Django's state only,
pointing at the old tables, and the content types (and with them the permissions) follow. Once
accounts has let go of them (accounts 0003), core 0002 renames the tables.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["auditrecord", "job", "notification"]


def content_types_to_core(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model__in=MOVED).update(app_label="core")


def content_types_to_accounts(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MOVED).update(app_label="accounts")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_seed_districts"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                        ('actor_label', models.CharField(blank=True, max_length=200, verbose_name='操作人')),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='来源 IP')),
                        ('user_agent', models.CharField(blank=True, max_length=300, verbose_name='客户端')),
                        ('action', models.CharField(db_index=True, max_length=64, verbose_name='操作')),
                        ('object_type', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='对象类型')),
                        ('object_id', models.CharField(blank=True, max_length=64, verbose_name='对象编号')),
                        ('object_label', models.CharField(blank=True, max_length=300, verbose_name='对象')),
                        ('before', models.JSONField(blank=True, null=True, verbose_name='变更前')),
                        ('after', models.JSONField(blank=True, null=True, verbose_name='变更后')),
                        ('reason', models.TextField(blank=True, verbose_name='原因')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                    ],
                    options={
                        'db_table': 'accounts_auditrecord',
                        'verbose_name': '审计记录',
                        'verbose_name_plural': '审计记录',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['object_type', 'object_id'], name='accounts_au_object__c30b9b_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=64, verbose_name='任务类型')),
                        ('title', models.CharField(max_length=200, verbose_name='任务')),
                        ('params', models.JSONField(blank=True, default=dict, verbose_name='参数')),
                        ('state', models.CharField(choices=[('pending', '排队中'), ('running', '运行中'), ('succeeded', '已完成'), ('failed', '失败')], default='pending', max_length=16, verbose_name='状态')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='进度')),
                        ('progress_message', models.CharField(blank=True, max_length=200, verbose_name='进度说明')),
                        ('result_file', models.FileField(blank=True, upload_to='jobs/%Y/%m/', verbose_name='结果文件')),
                        ('result_name', models.CharField(blank=True, max_length=200, verbose_name='结果文件名')),
                        ('error', models.TextField(blank=True, verbose_name='错误')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='jobs', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
                    ],
                    options={
                        'db_table': 'accounts_job',
                        'verbose_name': '后台任务',
                        'verbose_name_plural': '后台任务',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='job_progress_at_most_100')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('link', models.CharField(blank=True, max_length=500, verbose_name='链接')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'accounts_notification',
                        'verbose_name': '站内消息',
                        'verbose_name_plural': '站内消息',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='accounts_no_recipie_82f910_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_core, content_types_to_accounts),
    ]
