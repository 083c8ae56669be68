"""Reference and demo data for accounts: districts, organisations of every kind, one login per role."""

import hashlib

from accounts.choices import OrganisationKind, Role, VerificationStatus
from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

# Six-digit administrative division codes used inside credit codes.
DIVISION_CODES = {
    "haishu": "330203", "jiangbei": "330205", "zhenhai": "330211", "beilun": "330206", "yinzhou": "330212",
    "fenghua": "330213", "yuyao": "330281", "cixi": "330282", "ninghai": "330226", "xiangshan": "330225",
    "qianwan": "330282", "gaoxin": "330215", "dongqianhu": "330212",
}

# (name, kind, district code, flags) — flags only matter for companies.
ORGANISATIONS = [
    ("宁波市科学技术局", OrganisationKind.GOVERNMENT, "yinzhou", ()),
    ("宁波市人民政府国有资产监督管理委员会", OrganisationKind.GOVERNMENT, "yinzhou", ()),
    ("宁波市经济和信息化局", OrganisationKind.GOVERNMENT, "yinzhou", ()),
    ("宁波市发展和改革委员会", OrganisationKind.GOVERNMENT, "yinzhou", ()),
    ("宁波市财政局", OrganisationKind.GOVERNMENT, "yinzhou", ()),
    ("宁波市轨道交通集团有限公司", OrganisationKind.SOE, "yinzhou", ()),
    ("宁波舟山港集团有限公司", OrganisationKind.SOE, "beilun", ()),
    ("宁波市城建投资控股有限公司", OrganisationKind.SOE, "haishu", ()),
    ("宁波交通投资集团有限公司", OrganisationKind.SOE, "jiangbei", ()),
    ("宁波市水务环境集团有限公司", OrganisationKind.SOE, "haishu", ()),
    ("宁波开发投资集团有限公司", OrganisationKind.SOE, "yinzhou", ()),
    ("宁波通商控股集团有限公司", OrganisationKind.SOE, "jiangbei", ()),
    ("宁波市文化旅游投资集团有限公司", OrganisationKind.SOE, "dongqianhu", ()),
    ("宁波甬视智能科技有限公司", OrganisationKind.COMPANY, "gaoxin", ("is_high_growth", "is_high_tech")),
    ("宁波海智物联网技术有限公司", OrganisationKind.COMPANY, "jiangbei", ("is_specialised", "is_high_tech")),
    ("宁波新材锐科材料有限公司", OrganisationKind.COMPANY, "zhenhai", ("is_specialised",)),
    ("宁波港联数字科技有限公司", OrganisationKind.COMPANY, "beilun", ("is_high_growth",)),
    ("宁波鄞创医疗器械有限公司", OrganisationKind.COMPANY, "yinzhou", ("is_high_tech", "is_sme")),
    ("余姚光电智造有限公司", OrganisationKind.COMPANY, "yuyao", ("is_specialised", "is_high_tech")),
    ("慈溪家电云联科技有限公司", OrganisationKind.COMPANY, "cixi", ("is_sme",)),
    ("宁海智能模具科技有限公司", OrganisationKind.COMPANY, "ninghai", ("is_specialised",)),
    ("象山海洋渔业科技有限公司", OrganisationKind.COMPANY, "xiangshan", ("is_sme",)),
    ("宁波前湾新能源汽车部件有限公司", OrganisationKind.COMPANY, "qianwan", ("is_high_growth", "is_high_tech")),
    ("宁波奉化康养科技有限公司", OrganisationKind.COMPANY, "fenghua", ()),
    ("宁波海曙城市大脑科技有限公司", OrganisationKind.COMPANY, "haishu", ("is_high_growth",)),
    ("宁波甬江储能科技有限公司", OrganisationKind.COMPANY, "zhenhai", ("is_high_tech",)),
    ("宁波智慧停车运营有限公司", OrganisationKind.COMPANY, "jiangbei", ("is_sme",)),
    ("宁波北仑工业软件有限公司", OrganisationKind.COMPANY, "beilun", ("is_specialised", "is_sme")),
    ("宁波东钱湖文旅数字科技有限公司", OrganisationKind.COMPANY, "dongqianhu", ()),
    ("宁波市软件行业协会", OrganisationKind.ASSOCIATION, "gaoxin", ()),
    ("宁波市8718中小企业公共服务平台", OrganisationKind.ASSOCIATION, "yinzhou", ()),
    ("宁波市智能制造产业协会", OrganisationKind.ASSOCIATION, "beilun", ()),
    ("宁波大学", OrganisationKind.INSTITUTE, "jiangbei", ()),
    ("中国科学院宁波材料技术与工程研究所", OrganisationKind.INSTITUTE, "zhenhai", ()),
    ("宁波工程学院", OrganisationKind.INSTITUTE, "haishu", ()),
    ("宁波市科技信息研究院", OrganisationKind.INTERMEDIARY, "yinzhou", ()),
    ("宁波甬科技术转移中心有限公司", OrganisationKind.INTERMEDIARY, "gaoxin", ()),
]

# Organisations left waiting for verification, so the operator's queue is not empty.
PENDING_ORGANISATIONS = {"宁波奉化康养科技有限公司", "宁波东钱湖文旅数字科技有限公司", "宁波市智能制造产业协会"}

DEMO_PASSWORD = "Demo@2026"

# (username, display name, role, organisation name or None, organisation admin?)
DEMO_USERS = [
    ("publisher", "王建国", Role.PUBLISHER, "宁波市轨道交通集团有限公司", True),
    ("company", "陈晓峰", Role.COMPANY, "宁波甬视智能科技有限公司", True),
    ("association", "李敏", Role.ASSOCIATION, "宁波市软件行业协会", True),
    ("judge", "周立新", Role.JUDGE, "宁波大学", False),
    ("operator", "徐海燕", Role.OPERATOR, "宁波市科学技术局", False),
    ("official", "张卫东", Role.OFFICIAL, "宁波市人民政府国有资产监督管理委员会", False),
    ("auditor", "孙静", Role.AUDITOR, None, False),
    ("sysadmin", "吴刚", Role.ADMIN, None, False),
]


def demo_credit_code(name: str, district_code: str, kind: str) -> str:
    """A deterministic, valid credit code for a demo organisation (the same on every run)."""
    prefix = {
        OrganisationKind.GOVERNMENT: "11",
        OrganisationKind.INSTITUTE: "12",
        OrganisationKind.ASSOCIATION: "51",
        OrganisationKind.INTERMEDIARY: "52",
    }.get(kind, "91")
    digest = hashlib.sha256(name.encode()).digest()
    body = "".join(CREDIT_CODE_ALPHABET[byte % 31] for byte in digest[:9])
    first = prefix + DIVISION_CODES[district_code] + body
    return first + credit_code_check_character(first)


VERIFIED = VerificationStatus.VERIFIED
PENDING = VerificationStatus.PENDING


def seed(stdout=None) -> None:
    """Districts, organisations of every kind, and one login per role (idempotent)."""
    from django.utils import timezone

    from accounts.models import District, Organisation, RoleAssignment, User
    from accounts.reference_data import seed_districts

    seed_districts(District)
    districts = {district.code: district for district in District.objects.all()}
    now = timezone.now()
    organisations = {}
    for name, kind, district_code, flags in ORGANISATIONS:
        verified = name not in PENDING_ORGANISATIONS
        organisations[name], _created = Organisation.objects.get_or_create(
            credit_code=demo_credit_code(name, district_code, kind),
            defaults={
                "name": name,
                "kind": kind,
                "district": districts[district_code],
                "verification_status": VERIFIED if verified else PENDING,
                "verified_at": now if verified else None,
                **{flag: True for flag in flags},
            },
        )
    for username, display_name, role, organisation_name, is_admin in DEMO_USERS:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@demo.ningbo.example")
            user.set_password(DEMO_PASSWORD)
        user.display_name = display_name
        user.organisation = organisations[organisation_name] if organisation_name else None
        user.is_organisation_admin = is_admin
        user.is_active = True
        user.is_staff = role == Role.ADMIN
        user.email_confirmed_at = user.email_confirmed_at or now
        user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role)
    if stdout:
        stdout.write(f"机构与人员：{len(organisations)} 家机构，{len(DEMO_USERS)} 个演示账号（密码 {DEMO_PASSWORD}）。")
