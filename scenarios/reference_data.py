"""Scenario domains from the policy (§二), seeded by a data migration and kept up to date by seed_demo.

(category code, name, English), then its fields as (code, name, English).
"""

DOMAINS = [
    (
        ("industry", "产业发展", "Industrial development"),
        [
            ("industrial_parks", "产业园区", "Industrial parks"),
            ("commerce", "商贸消费", "Commerce and consumption"),
            ("finance", "金融服务", "Financial services"),
            ("agriculture", "现代农业", "Modern agriculture"),
        ],
    ),
    (
        ("governance", "城市治理", "Urban governance"),
        [
            ("transport", "交通", "Transport"),
            ("power_water", "电力水务", "Power and water"),
            ("city_management", "智慧城管", "Smart city management"),
            ("municipal", "市政建设", "Municipal construction"),
        ],
    ),
    (
        ("livelihood", "民生服务", "Public services"),
        [
            ("health", "医疗健康", "Health care"),
            ("education", "教育培训", "Education and training"),
            ("elderly_care", "养老服务", "Elderly care"),
            ("culture_media", "文化传媒", "Culture and media"),
        ],
    ),
    (
        ("other", "其他", "Other"),
        [
            ("exhibition_tourism", "会展旅游", "Exhibitions and tourism"),
            ("e_government", "智慧政务", "Digital government"),
            ("supply_chain", "供应链服务", "Supply chain services"),
        ],
    ),
]


def seed_domains(domain_model) -> None:
    """Create or refresh the policy's domains (idempotent; operators' own additions are kept)."""
    for category_order, ((code, name, name_en), fields) in enumerate(DOMAINS, start=1):
        category, _created = domain_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "parent": None, "sort_order": category_order}
        )
        for field_order, (field_code, field_name, field_name_en) in enumerate(fields, start=1):
            domain_model.objects.update_or_create(
                code=field_code,
                defaults={"name": field_name, "name_en": field_name_en, "parent": category, "sort_order": field_order},
            )
