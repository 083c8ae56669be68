"""The seeded domain ↔ 战新 area affinities (DomainAreaAffinity), by a data migration and in tests.

For each scenario domain (second-level code), the 战略性新兴产业 areas that usually supply it, most
usual first (area codes: 1 新一代信息技术, 2 高端装备制造, 3 新材料, 4 生物, 5 新能源汽车, 6 新能源,
7 节能环保, 8 数字创意, 9 相关服务业): they get LISTED_WEIGHTS in that order, every other area
OTHER_WEIGHT, so no pair is ruled out — a good supplier from an unusual area still scores on its
text. Operators change any of them on the affinities page; answers adjust them (engine/refit.py).
"""

USUAL_AREAS = {
    "industrial_parks": "1729",
    "commerce": "1897",
    "finance": "19",
    "agriculture": "1247",
    "transport": "1259",
    "power_water": "6712",
    "city_management": "1729",
    "municipal": "32179",
    "health": "4129",
    "education": "189",
    "elderly_care": "1429",
    "culture_media": "8197",
    "exhibition_tourism": "8192",
    "e_government": "19",
    "supply_chain": "1925",
}
LISTED_WEIGHTS = (1.0, 0.8, 0.6, 0.5, 0.4)
OTHER_WEIGHT = 0.2


def seed_affinities(domain_model, area_model, affinity_model) -> None:
    """Create the missing pairs (an operator's value is never overwritten)."""
    areas = {area.code: area for area in area_model.objects.all()}
    existing = set(affinity_model.objects.values_list("domain_id", "area_id"))
    rows = []
    for domain in domain_model.objects.filter(code__in=USUAL_AREAS):
        usual = USUAL_AREAS[domain.code]
        for code, area in areas.items():
            if (domain.pk, area.pk) in existing:
                continue
            position = usual.find(code) if len(code) == 1 else -1
            weight = LISTED_WEIGHTS[position] if 0 <= position < len(LISTED_WEIGHTS) else OTHER_WEIGHT
            rows.append(affinity_model(domain=domain, area=area, weight=weight))
    affinity_model.objects.bulk_create(rows)
