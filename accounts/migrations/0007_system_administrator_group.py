"""三员分立 in the admin: the group whose model permissions the 系统管理员 works with
(accounts.reference_data.SYSTEM_ADMINISTRATOR_PERMISSIONS). The accounts services add a person to it
when they grant the role and take them out when they revoke it; this migration puts the
administrators already there into it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _ensure_permissions(apps):
    """Django creates permissions after the last migration; the group needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_group(apps, schema_editor):
    from accounts.reference_data import seed_system_administrator_group

    _ensure_permissions(apps)
    group = seed_system_administrator_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    for assignment in RoleAssignment.objects.filter(role="admin").select_related("user"):
        assignment.user.groups.add(group)


def remove_group(apps, schema_editor):
    from accounts.reference_data import SYSTEM_ADMINISTRATOR_GROUP

    apps.get_model("auth", "Group").objects.filter(name=SYSTEM_ADMINISTRATOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_sign_in_controls"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_job_title_message"),
        ("scenarios", "0004_updated_at_index"),
        ("capability_list", "0012_entry_revisions_evidence"),
        ("matching", "0006_seed_field_affinities"),
        ("contests", "0006_entry_step_notice"),
        ("evaluation", "0002_default_frameworks"),
        ("steering", "0005_reports"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
