"""Districts of Ningbo, seeded by a data migration (production needs them, not only the demo)."""

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
