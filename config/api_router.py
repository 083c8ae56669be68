"""Every app registers its API resources here, under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import views as accounts_api
from capability_list.api import views as capability_api
from contests.api import views as contests_api
from core.api import views as core_api
from evaluation.api import views as evaluation_api
from matching.api import views as matching_api
from scenarios.api import views as scenarios_api
from steering.api import views as steering_api  # noqa: F401


class PortalRouter(DefaultRouter):
    """Ids in API paths are whole numbers: /api/v1/rankings/abc/ is a 404, not a lookup that fails."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_field", "pk") in ("pk", "id") and not hasattr(viewset, "lookup_value_regex"):
            viewset.lookup_value_regex = "[0-9]+"
        return super().get_lookup_regex(viewset, lookup_prefix)


router = PortalRouter()
router.register("districts", accounts_api.DistrictViewSet, basename="district")
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("notifications", core_api.NotificationViewSet, basename="notification")
router.register("jobs", core_api.JobViewSet, basename="job")
router.register("audit-records", accounts_api.AuditRecordViewSet, basename="audit-record")
router.register("scenarios", scenarios_api.ScenarioViewSet, basename="scenario")
router.register("domains", scenarios_api.DomainViewSet, basename="domain")
router.register("zones", scenarios_api.ZoneViewSet, basename="zone")
router.register("instruments", scenarios_api.InstrumentViewSet, basename="instrument")
router.register("capabilities", capability_api.EntryViewSet, basename="capability")
router.register("industries", capability_api.IndustryViewSet, basename="industry")
router.register("strategic-areas", capability_api.StrategicAreaViewSet, basename="strategic-area")
router.register("enquiries", capability_api.EnquiryViewSet, basename="enquiry")
router.register("events", capability_api.EventViewSet, basename="event")
router.register("matches", matching_api.MatchViewSet, basename="match")
router.register("contests", contests_api.ContestViewSet, basename="contest")
router.register("challenges", contests_api.ChallengeViewSet, basename="challenge")
router.register("entries", contests_api.EntryViewSet, basename="entry")
router.register("judges", contests_api.JudgeViewSet, basename="judge")
router.register("rubrics", contests_api.RubricViewSet, basename="rubric")
router.register("score-sheets", contests_api.ScoreSheetViewSet, basename="score-sheet")
router.register("rankings", contests_api.RankingViewSet, basename="ranking")
router.register("notices", contests_api.NoticeViewSet, basename="notice")
router.register("objections", contests_api.ObjectionViewSet, basename="objection")
router.register("awards", contests_api.AwardViewSet, basename="award")
router.register("agreements", contests_api.AgreementViewSet, basename="agreement")
router.register("benefits", contests_api.BenefitViewSet, basename="benefit")
# === evaluation: frameworks ===
router.register("evaluation-frameworks", evaluation_api.FrameworkViewSet, basename="evaluation-framework")

# === evaluation: rounds ===
router.register("evaluation-rounds", evaluation_api.EvaluationRoundViewSet, basename="evaluation-round")
router.register("evaluation-sheets", evaluation_api.EvaluationSheetViewSet, basename="evaluation-sheet")

# === evaluation: results and findings ===
router.register("evaluation-results", evaluation_api.SubjectResultViewSet, basename="evaluation-result")
router.register("evaluation-findings", evaluation_api.FindingViewSet, basename="evaluation-finding")

# === evaluation: typical cases and replications ===
router.register("typical-cases", evaluation_api.TypicalCaseViewSet, basename="typical-case")
router.register("replications", evaluation_api.ReplicationViewSet, basename="replication")

# === evaluation: tolerance register ===
router.register("tolerance-periods", evaluation_api.TolerancePeriodViewSet, basename="tolerance-period")

# === steering: targets ===
router.register("targets", steering_api.TargetViewSet, basename="target")

# === steering: programme tasks ===
router.register("programme-tasks", steering_api.ProgrammeTaskViewSet, basename="programme-task")
router.register("reporting-cycles", steering_api.ReportingCycleViewSet, basename="reporting-cycle")
router.register("unit-reports", steering_api.UnitReportViewSet, basename="unit-report")

# === steering: SOE assessment ===
router.register("assessment-scorecards", steering_api.AssessmentScorecardViewSet, basename="assessment-scorecard")
router.register("company-credits", steering_api.CompanyCreditViewSet, basename="company-credit")
router.register("product-uses", steering_api.ProductUseViewSet, basename="product-use")

# === steering: reports ===

app_name = "v1"
urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("auth/token/", accounts_api.ApiTokenView.as_view(), name="auth-token"),
    # === steering: cockpit charts ===
    path("cockpit/<slug:code>/", steering_api.CockpitChartView.as_view(), name="cockpit-chart"),
    *router.urls,
]
