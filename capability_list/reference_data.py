"""Seeds the industry classification and the strategic areas (a data migration calls these)."""

from capability_list.industry_data import INDUSTRY_SECTIONS, STRATEGIC_AREAS


def seed_industries(industry_model) -> None:
    for code, name, name_en, divisions in INDUSTRY_SECTIONS:
        section, _created = industry_model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "section": None}
        )
        for division_code, division_name, division_name_en in divisions:
            industry_model.objects.update_or_create(
                code=division_code, defaults={"name": division_name, "name_en": division_name_en, "section": section}
            )


def seed_strategic_areas(area_model) -> None:
    for code, name, name_en in STRATEGIC_AREAS:
        area_model.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})
