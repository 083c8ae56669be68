"""Reference data seeded by data migrations (production needs them, not only the demo): the
districts of Ningbo, and the group whose model permissions the 系统管理员 works with in the admin."""

# (code, name, English name) — the districts, counties and functional areas of Ningbo.
DISTRICTS = [
    ("haishu", "海曙区", "Haishu"),
    ("jiangbei", "江北区", "Jiangbei"),
    ("zhenhai", "镇海区", "Zhenhai"),
    ("beilun", "北仑区", "Beilun"),
    ("yinzhou", "鄞州区", "Yinzhou"),
    ("fenghua", "奉化区", "Fenghua"),
    ("yuyao", "余姚市", "Yuyao"),
    ("cixi", "慈溪市", "Cixi"),
    ("ninghai", "宁海县", "Ninghai"),
    ("xiangshan", "象山县", "Xiangshan"),
    ("qianwan", "前湾新区", "Qianwan New Area"),
    ("gaoxin", "高新区", "Ningbo High-tech Zone"),
    ("dongqianhu", "东钱湖旅游度假区", "Dongqian Lake Resort"),
]


def seed_districts(district_model) -> None:
    for order, (code, name, name_en) in enumerate(DISTRICTS, start=1):
        district_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )


# 三员分立 in the admin: the 系统管理员 works there through Django model permissions, held by this
# group and nothing else (no superuser). Exactly what the registered admin pages need: to view every
# model they show (inlines too), and to add and change the reference data edited there (districts,
# holidays; holidays may be deleted). tests/core/test_admin.py compares the list with the admin's
# registry; a change to it needs a data migration that calls seed_system_administrator_group again.
SYSTEM_ADMINISTRATOR_GROUP = "系统管理员"

SYSTEM_ADMINISTRATOR_PERMISSIONS = {
    "accounts": [
        "add_district",
        "change_district",
        "view_district",
        "view_organisation",
        "view_registrationmail",
        "view_roleassignment",
        "view_user",
    ],
    "capability_list": [
        "add_holiday",
        "change_holiday",
        "delete_holiday",
        "view_agendaitem",
        "view_capabilityentry",
        "view_credential",
        "view_edition",
        "view_enquiry",
        "view_holiday",
        "view_importbatch",
        "view_industry",
        "view_matchmakingevent",
        "view_strategicarea",
    ],
    "contests": [
        "view_award",
        "view_challenge",
        "view_consortiummember",
        "view_contest",
        "view_contestentry",
        "view_cooperationagreement",
        "view_criterion",
        "view_eligibilityrule",
        "view_entryattachment",
        "view_judgeprofile",
        "view_milestone",
        "view_objection",
        "view_panelmembership",
        "view_policybenefit",
        "view_progressreport",
        "view_recusal",
        "view_scoresheet",
    ],
    "core": ["view_job", "view_notification"],
    "evaluation": [
        "view_casenominationrule",
        "view_evaluationcommitment",
        "view_evaluationround",
        "view_evaluationsheet",
        "view_evidencefile",
        "view_finding",
        "view_framework",
        "view_gradeband",
        "view_indicator",
        "view_replication",
        "view_roundexpert",
        "view_subject",
        "view_subjectorganisation",
        "view_tolerancecheckpoint",
        "view_toleranceextension",
        "view_toleranceincident",
        "view_toleranceperiod",
        "view_typicalcase",
    ],
    "matching": ["view_matchingmodel"],
    "scenarios": [
        "view_demonstrationzone",
        "view_domain",
        "view_instrumentrequest",
        "view_labinstrument",
        "view_needitem",
        "view_scenario",
        "view_scenarioattachment",
        "view_scenariostatuschange",
    ],
    "steering": [
        "view_assessmentitem",
        "view_assessmentscheme",
        "view_highgrowthimport",
        "view_highgrowthlisting",
        "view_lamprule",
        "view_productuse",
        "view_programmetask",
        "view_programmeunit",
        "view_reportingcycle",
        "view_supervisionnotice",
        "view_target",
        "view_targetsnapshot",
        "view_unitreport",
        "view_unitreportversion",
    ],
}


def seed_system_administrator_group(group_model, permission_model):
    """The group with exactly SYSTEM_ADMINISTRATOR_PERMISSIONS (which must exist already)."""
    group, _created = group_model.objects.get_or_create(name=SYSTEM_ADMINISTRATOR_GROUP)
    group.permissions.set(
        [
            permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codenames in SYSTEM_ADMINISTRATOR_PERMISSIONS.items()
            for codename in codenames
        ]
    )
    return group
