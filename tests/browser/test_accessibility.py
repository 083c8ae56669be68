"""axe-core (vendored, tests/browser/vendor/) checks the main pages of each role against WCAG 2.1 AA
(GB/T 37668): any finding of impact "serious" or "critical" fails the test, and every finding is
printed with the elements it concerns."""

from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.accounts import DEMO_PASSWORD, DEMO_USERS
from scenarios.models import Scenario
from tests.browser.conftest import login, logout, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map((node) => node.target.join(" ")),
    why: rule.nodes[0].failureSummary,
  }));
}"""


def axe_findings(page, name: str) -> list[dict]:
    page.wait_for_load_state("networkidle")
    # Evaluated through the browser's debugging protocol, not as a <script> tag: the portal's
    # Content-Security-Policy (rightly) refuses inline script, and the test must not weaken it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    findings = page.evaluate(RUN_AXE)
    screenshot(page, f"a11y-{name}")
    return [{"page": name, **finding} for finding in findings]


def report(findings: list[dict]) -> str:
    lines = []
    for finding in findings:
        nodes = ", ".join(finding["nodes"][:5]) + (" …" if len(finding["nodes"]) > 5 else "")
        why = finding["why"].replace("\n", "\n    ")
        lines.append(
            f"[{finding['impact']}] {finding['page']}: {finding['id']} — {finding['help']} "
            f"({len(finding['nodes'])}: {nodes})\n    {why}"
        )
    return "\n".join(lines)


def counts_by_page(pages: list[str], findings: list[dict]) -> str:
    impacts = ("critical", "serious", "moderate", "minor")
    counts = Counter((finding["page"], finding["impact"]) for finding in findings)
    return "\n".join(
        f"{page}: " + ", ".join(f"{impact} {counts[page, impact]}" for impact in impacts) for page in pages
    )


def test_main_pages_of_each_role_have_no_serious_accessibility_findings(page):
    call_command("seed_demo")
    scenario = Scenario.objects.filter(status="published").order_by("pk").first()
    results: dict[str, list[dict]] = {}

    def check(name: str) -> None:
        results[name] = axe_findings(page, name)

    public_pages = {
        "public-home": "/",
        "catalogue": "/scenarios/",
        "scenario": f"/scenarios/{scenario.pk}/",
        "login": "/accounts/login/",
        "register": "/accounts/register/",
    }
    for name, path in public_pages.items():
        page.goto(path)
        check(name)

    for username, _name, role, _organisation, _admin in DEMO_USERS:
        login(page, username, DEMO_PASSWORD)
        check(f"home-{role}")
        if role == "publisher":
            page.goto("/scenarios/new/")
            check("scenario-editor")
            page.get_by_role(
                "button", name="保存草稿"
            ).click()  # nothing filled in: the form comes back with its errors
            page.locator(".has-error").first.wait_for()
            check("scenario-editor-errors")
        if role == "judge":
            page.goto("/judging/")
            check("judge-home")
            while page.get_by_test_id("sign-commitment").count():  # the score sheets open once signed
                with page.expect_navigation():
                    page.get_by_test_id("sign-commitment").first.click()
            unscored = page.get_by_test_id("judge-entries").locator("tr", has_not_text="已提交")
            unscored.locator("[data-testid^=score-]").first.click()
            page.wait_for_url("**/score/")
            check("score-sheet")
            page.locator(".score-input").first.fill("99")  # out of range: flagged as typed
            page.locator(".score-bound:visible").first.wait_for()
            check("score-sheet-invalid")
        logout(page)

    findings = [finding for page_findings in results.values() for finding in page_findings]
    print("\naxe findings by page and impact:\n" + counts_by_page(list(results), findings))
    print(report(findings))
    failing = [finding for finding in findings if finding["impact"] in FAILING_IMPACTS]
    assert failing == [], "serious or critical accessibility findings:\n" + report(failing)


def test_the_first_tab_shows_a_skip_link_that_leads_to_the_main_content(page):
    page.goto("/scenarios/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # moved into view when focused
    screenshot(page, "skip-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/scenarios/#main")


def test_evaluation_pages_have_no_serious_accessibility_findings(page):
    """The 场景评估 pages of the demo: the public typical cases, the operators' pages (with the
    radar chart and the indicator tree), the officials' results and an organisation's own list."""
    from evaluation.models import EvaluationRound, Framework, Subject, TolerancePeriod, TypicalCase

    call_command("seed_demo")
    enterprise = EvaluationRound.objects.get(level="enterprise")
    subject = Subject.objects.filter(round=enterprise).order_by("pk").first()
    case = TypicalCase.objects.filter(status="approved").order_by("pk").first()
    results: dict[str, list[dict]] = {}

    def visit(name: str, path: str) -> None:
        page.goto(path)
        results[name] = axe_findings(page, name)

    visit("cases", "/cases/")
    visit("case", f"/cases/{case.pk}/")
    login(page, "operator", DEMO_PASSWORD)
    visit("evaluation-hub", "/evaluation/")
    visit("framework", f"/evaluation/frameworks/{Framework.objects.get(level='enterprise', version=1).pk}/")
    visit("round", f"/evaluation/rounds/{enterprise.pk}/")
    visit("result", f"/evaluation/results/{subject.pk}/")
    visit("report", f"/evaluation/rounds/{enterprise.pk}/report/")
    visit("findings", "/evaluation/findings/")
    visit("case-queue", "/cases/queue/")
    visit("tolerance", f"/tolerance/{TolerancePeriod.objects.order_by('pk').first().pk}/")
    logout(page)
    login(page, "official", DEMO_PASSWORD)
    visit("published-rounds", "/evaluation/published/")
    logout(page)
    login(page, "publisher_chengtou", DEMO_PASSWORD)
    visit("our-evaluations", "/evaluation/self-assessment/")

    findings = [finding for page_findings in results.values() for finding in page_findings]
    print("\naxe findings by page and impact:\n" + counts_by_page(list(results), findings))
    print(report(findings))
    failing = [finding for finding in findings if finding["impact"] in FAILING_IMPACTS]
    assert failing == [], "serious or critical accessibility findings:\n" + report(failing)
