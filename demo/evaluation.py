"""Demo evaluation (demo/data/evaluation.json): a closed round at each level with results,
findings in every state, three typical cases with replications, and tolerance periods in every
state.

Everything goes through the evaluation services, as the person whose step it is: the operator
opens each round, adds its subjects and team and moves it on (scoring computes the computed
indicators; the operator enters the imported ones); each subject's organisation writes its
self-assessment and uploads the evidence the framework asks for; the experts sign the 回避承诺 and
submit their sheets (the conflict rules keep 宁波大学's experts off 宁波大学's own scenario, and the
expert who declared a collaboration with 甬视 off the P+R scenario); the lead records a consensus
where the experts disagree; the operator closes the round (results published, cases proposed by
the nomination rule) and records findings, which the organisations rectify and the operator
verifies. The enterprise round runs first so that its cases and their verified replications are
on record when the city round computes its 复制推广 indicator.

Points are not typed in the data: an expert's points on a leaf follow the subject's `quality`
(the share of the maximum it earns), the expert's leniency and a fixed per-leaf scatter, in half
points.
"""

import zlib
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import District, Organisation, User
from demo.accounts import login, member_with_role, person_ensure, role_ensure
from demo.files import load
from evaluation import services
from evaluation.choices import ScoringMethod
from evaluation.experts import expected_experts
from evaluation.models import EvaluationRound, Framework, Replication, TypicalCase
from evaluation.permissions import WORKING_ROLES
from evaluation.selectors import framework_leaves
from scenarios.models import Domain, Scenario

DATA = load("evaluation.json")
HALF = Decimal("0.5")


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF (the upload check reads the signature, people may open it)."""
    text = title.encode("ascii", "ignore").decode() or "Evidence"
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{text}.pdf", body, content_type="application/pdf")


def _people_ensure() -> None:
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    for row in DATA["people"]:
        person = person_ensure(
            username=row["username"], display_name=row["display_name"], organisation=organisations[row["organisation"]]
        )
        role_ensure(person, row["role"])


def acting_user(organisation: Organisation) -> User:
    """The organisation's demo login that works for it (a working role, not bare membership)."""
    for role in ("publisher", "company", "association", "official"):
        if role in WORKING_ROLES:
            user = member_with_role(organisation, role)
            if user is not None:
                return user
    raise LookupError(f"演示数据缺少 {organisation.name} 的工作账号")


def _half_points(value: Decimal, maximum: Decimal) -> Decimal:
    value = min(max(value, Decimal(0)), maximum)
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _scatter(*parts) -> Decimal:
    """A fixed small scatter in [-0.06, 0.06] for one expert on one leaf (the same on every run)."""
    return Decimal((zlib.crc32("|".join(map(str, parts)).encode()) % 7) - 3) * Decimal("0.02")


def _sheet_points(row: dict, expert: User, leaves: list, wide_leaf, is_last: bool) -> tuple[dict, list]:
    quality = Decimal(row["quality"])
    leniency = Decimal(DATA["experts"]["leniency"].get(expert.username, 0))
    points, hits = {}, []
    for leaf in leaves:
        if leaf.method != ScoringMethod.EXPERT:
            points[leaf.pk] = "confirm"
            continue
        share = (
            quality + leniency + _scatter(row.get("scenario") or row.get("title") or row.get("domain"), expert, leaf)
        )
        if leaf.is_red_line:
            share = Decimal("0.3") if row.get("red_line") else max(share, Decimal("0.9"))
            if row.get("red_line"):
                hits.append(leaf.pk)
        if wide_leaf is not None and leaf.pk == wide_leaf.pk and is_last:
            share = quality - Decimal("0.5")  # the one expert who sees it very differently
        points[leaf.pk] = _half_points(leaf.max_points * share, leaf.max_points)
    return points, hits


def _subject_add(operator, round_, row):
    if round_.level == "enterprise":
        scenario = Scenario.objects.get(title=row["scenario"])
        supplier = Organisation.objects.get(name=row["supplier"]) if row.get("supplier") else None
        return services.subject_add(actor=operator, round=round_, scenario=scenario, supplier=supplier)
    responsible = Organisation.objects.get(name=row["responsible"])
    if round_.level == "industry":
        domain = Domain.objects.get(code=row["domain"])
        return services.subject_add(
            actor=operator, round=round_, title=domain.name, domain=domain, responsible=responsible
        )
    district = District.objects.get(code=row["district"]) if row.get("district") else None
    return services.subject_add(
        actor=operator, round=round_, title=row["title"], district=district, responsible=responsible
    )


def _run_round(row: dict) -> EvaluationRound:
    operator = login("operator")
    framework = Framework.objects.filter(level=row["level"], status="published").order_by("-version").first()
    leaves = framework_leaves(framework)
    round_ = services.round_open(
        actor=operator, title=row["title"], level=row["level"], year=row["year"], framework=framework
    )
    subjects = [(_subject_add(operator, round_, subject_row), subject_row) for subject_row in row["subjects"]]
    for position, username in enumerate(row["team"]):  # the first one leads the team
        services.round_expert_assign(actor=operator, round=round_, expert=login(username), is_lead=position == 0)

    services.round_advance(actor=operator, round=round_)  # 自评中
    for subject, subject_row in subjects:
        writer = acting_user(subject.subject_organisations.select_related("organisation").first().organisation)
        for leaf in leaves:
            if leaf.evidence_required:
                services.evidence_upload(
                    actor=writer, subject=subject, uploaded_file=demo_pdf(f"Evidence {leaf.code}"), indicator=leaf
                )
        services.self_assessment_save(actor=writer, subject=subject, text=subject_row["self_assessment"], submit=True)

    services.round_advance(actor=operator, round=round_)  # 专家评分中: the computed indicators computed
    for subject, subject_row in subjects:
        for leaf in leaves:
            if leaf.method == ScoringMethod.IMPORTED:
                value = (leaf.target * Decimal(subject_row["quality"])).quantize(Decimal("0.01"))
                services.figure_import(
                    actor=operator, subject=subject, indicator=leaf, value=value, note="依据评价对象报送的年度统计数据"
                )
    for username in row["team"]:
        services.evaluation_commitment_sign(actor=login(username), round=round_)
    lead = login(row["team"][0])
    for subject, subject_row in subjects:
        wide = subject_row.get("wide_on")
        wide_leaf = next(
            (leaf for leaf in leaves if wide and leaf.dimension.name == wide and leaf.method == ScoringMethod.EXPERT),
            None,
        )
        experts = expected_experts(subject)
        comments = subject_row["comments"]
        for index, expert in enumerate(experts):
            points, hits = _sheet_points(subject_row, expert, leaves, wide_leaf, index == len(experts) - 1)
            first_expert_leaf = next(leaf for leaf in leaves if leaf.method == ScoringMethod.EXPERT)
            services.evaluation_sheet_save(
                actor=login(expert.username),
                subject=subject,
                points=points,
                comments={first_expert_leaf.pk: comments[index % len(comments)]},
                red_line_hits=hits,
                submit=True,
            )
        if wide_leaf is not None:
            others = sorted(
                _sheet_points(subject_row, expert, leaves, None, False)[0][wide_leaf.pk] for expert in experts
            )
            services.consensus_record(
                actor=lead,
                subject=subject,
                indicator=wide_leaf,
                points=others[len(others) // 2],
                red_line_hit=False,
                reason="经专家组合议，个别专家对成效数据的审计口径存疑，已核对原始台账，按多数专家意见确定。",
            )
    services.round_close(actor=operator, round=round_)

    titles = {subject.title: subject for subject, _row in subjects}
    today = timezone.localdate()
    for finding_row in row["findings"]:
        subject = titles[finding_row["subject"]]
        organisation = Organisation.objects.get(name=finding_row["organisation"])
        finding = services.finding_create(
            actor=operator,
            subject=subject,
            severity=finding_row["severity"],
            description=finding_row["description"],
            recommendation=finding_row["recommendation"],
            organisation=organisation,
            due_date=today + timedelta(days=finding_row["due_days"]),
        )
        state, rectifier = finding_row["state"], acting_user(organisation)
        if state == "in_progress":
            services.finding_progress(actor=rectifier, finding=finding, note=finding_row["note"])
        if state in ("submitted", "verified"):
            services.finding_submit(actor=rectifier, finding=finding, rectification=finding_row["rectification"])
        if state == "verified":
            services.finding_verify(actor=operator, finding=finding)
    return round_


def _decide_cases() -> None:
    operator = login("operator")
    cases = DATA["cases"]
    for title, decision in cases["decisions"].items():
        case = TypicalCase.objects.select_related("subject").get(subject__scenario__title=title)
        services.case_edit(
            actor=operator,
            case=case,
            title=case.title,
            problem=case.problem,
            solution=cases["solutions"][title],
            supplier=case.supplier,
            outcomes=cases["outcomes"][title],
        )
        services.case_decide(actor=operator, case=case, decision=decision["decision"], reason=decision["reason"])
    for row in cases["replications"]:
        case = TypicalCase.objects.get(subject__scenario__title=row["case"])
        adopter = Organisation.objects.get(name=row["adopter"])
        replication = services.replication_record(
            actor=login(row["by"]) if row["by"] else acting_user(adopter),
            case=case,
            kind="adoption",
            description=row["description"],
            evidence=demo_pdf("Replication evidence"),
        )
        if row["verify"] is not None:
            services.replication_verify(
                actor=operator, replication=replication, approve=row["verify"], reason="已核对合同和现场照片。"
            )


def _tolerance() -> None:
    operator = login("operator")
    today = timezone.localdate()
    for row in DATA["tolerance"]:
        scenario = Scenario.objects.select_related("publisher").get(title=row["scenario"])
        publisher = member_with_role(scenario.publisher, "publisher")
        period = services.tolerance_period_open(
            actor=operator,
            scenario=scenario,
            starts_on=today + timedelta(days=row["start_days"]),
            ends_on=today + timedelta(days=row["end_days"]),
        )
        for checkpoint_row in row["checkpoints"]:
            checkpoint = services.checkpoint_add(
                actor=operator,
                period=period,
                title=checkpoint_row["title"],
                due_on=today + timedelta(days=checkpoint_row["due_days"]),
            )
            if checkpoint_row["done"]:
                services.checkpoint_complete(
                    actor=publisher,
                    checkpoint=checkpoint,
                    done_on=checkpoint.due_on,
                    note=checkpoint_row.get("note", ""),
                )
        for incident_row in row["incidents"]:
            incident = services.incident_record(
                actor=publisher,
                period=period,
                occurred_on=today + timedelta(days=incident_row["occurred_days"]),
                description=incident_row["description"],
            )
            if incident_row["decision"]:
                services.incident_decide(
                    actor=operator, incident=incident, decision=incident_row["decision"], basis=incident_row["basis"]
                )
        if "extension" in row:
            extension_row = row["extension"]
            extension = services.extension_request(
                actor=publisher,
                period=period,
                requested_until=today + timedelta(days=extension_row["until_days"]),
                reason=extension_row["reason"],
            )
            services.extension_decide(
                actor=operator, extension=extension, approve=extension_row["approve"], reason=extension_row["decision"]
            )
        if "end" in row:
            period.refresh_from_db()
            services.tolerance_period_end(
                actor=operator, period=period, early=row["end"]["early"], reason=row["end"]["reason"]
            )


def seed(stdout=None) -> None:
    _people_ensure()
    if EvaluationRound.objects.exists():
        if stdout:
            stdout.write(f"场景评估：已有 {EvaluationRound.objects.count()} 轮。")
        return
    rounds = {row["level"]: row for row in DATA["rounds"]}
    _run_round(rounds["enterprise"])
    _decide_cases()
    _run_round(rounds["industry"])
    _tolerance()
    _run_round(rounds["city"])  # last: it counts the verified replications
    if stdout:
        stdout.write(
            f"场景评估：3 轮（城市级、产业级、企业级各一，均已结束），典型案例 "
            f"{TypicalCase.objects.filter(status='approved').count()} 个，复制推广 {Replication.objects.count()} 项，"
            f"包容期 {len(DATA['tolerance'])} 个。"
        )
