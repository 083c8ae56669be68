"""Read-mostly admin of evaluation for the system administrator role (see core.admin for who gets in).

All read-only: frameworks, rounds, sheets, findings, cases and the tolerance register change only
through evaluation.services, which check each step and audit it. As in contests.admin, no points
are shown: the system administrator takes no part in scoring, so expert sheets appear with their
status and signature only, and neither the indicator scores, the consensus points nor the computed
results are registered (the published results are on the portal's own pages).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from evaluation.models import (
    CaseNominationRule,
    EvaluationCommitment,
    EvaluationRound,
    EvaluationSheet,
    EvidenceFile,
    Finding,
    Framework,
    GradeBand,
    Indicator,
    Replication,
    RoundExpert,
    Subject,
    SubjectOrganisation,
    ToleranceCheckpoint,
    ToleranceExtension,
    ToleranceIncident,
    TolerancePeriod,
    TypicalCase,
)

# === Frameworks (评价指标体系, computed indicator rules) ===


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = ["code", "name", "tier", "weight", "method", "max_points", "rule", "target", "is_red_line"]


class GradeBandInline(ReadOnlyInline):
    model = GradeBand
    fields = ["name", "min_total", "is_lowest"]


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "level", "version", "status", "based_on", "published_at"]
    list_filter = ["level", "status"]
    list_select_related = ["based_on"]
    search_fields = ["name", "change_note"]
    exclude = ["created_by", "published_by"]
    inlines = [IndicatorInline, GradeBandInline]


# === Rounds (team, 回避承诺, subjects, self-assessment, evidence, expert sheets) ===


class RoundExpertInline(ReadOnlyInline):
    model = RoundExpert
    fields = ["expert", "is_lead", "assigned_by", "assigned_at"]
    select_related = ["expert", "assigned_by"]


class CommitmentInline(ReadOnlyInline):
    model = EvaluationCommitment
    fields = ["expert", "signed_at", "text_sha256"]
    select_related = ["expert"]


class SubjectInline(ReadOnlyInline):
    model = Subject
    fields = ["title", "scenario", "domain", "district", "self_assessment_submitted_at"]
    select_related = ["scenario", "domain__parent", "district"]
    show_change_link = True


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "level", "year", "framework", "status", "opened_at", "closed_at"]
    list_filter = ["level", "status", "year"]
    list_select_related = ["framework"]
    search_fields = ["title"]
    exclude = ["opened_by", "closed_by", "report_job"]
    inlines = [RoundExpertInline, CommitmentInline, SubjectInline]


class SubjectOrganisationInline(ReadOnlyInline):
    model = SubjectOrganisation
    fields = ["organisation", "role"]
    select_related = ["organisation"]


class EvidenceInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ["original_name", "kind", "size", "indicator", "uploaded_by", "uploaded_at"]
    select_related = ["indicator", "uploaded_by"]


class SheetInline(ReadOnlyInline):
    model = EvaluationSheet
    fields = ["expert", "status", "submitted_at", "content_sha256"]  # no points: see the module docstring
    select_related = ["expert"]


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "round", "scenario", "self_assessment_submitted_at"]
    list_filter = [("round", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["round", "scenario"]
    search_fields = ["title", "round__title", "subject_organisations__organisation__name"]
    exclude = ["self_assessment_by"]
    inlines = [SubjectOrganisationInline, EvidenceInline, SheetInline]


@admin.register(EvaluationSheet)
class EvaluationSheetAdmin(ReadOnlyAdmin):
    list_display = ["subject", "expert", "status", "submitted_at", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["subject", "expert"]
    search_fields = ["subject__title", "expert__display_name", "expert__username"]
    fields = ["subject", "expert", "status", "submitted_at", "content_sha256"]  # no points


# === Results (aggregation, consensus, round close and report) and findings (问题清单) ===


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["subject", "severity", "organisation", "due_date", "status", "verified_at"]
    list_filter = ["status", "severity"]
    list_select_related = ["subject", "organisation"]
    search_fields = ["description", "subject__title", "organisation__name"]
    exclude = ["created_by", "verified_by"]


# === Typical cases (典型案例) and replications (复制推广) ===


@admin.register(CaseNominationRule)
class CaseNominationRuleAdmin(ReadOnlyAdmin):
    """Operators change the rule on their own page (nomination_rule_change, audited)."""

    list_display = ["created_at", "min_total", "benefit_dimension", "min_benefit_share", "exclude_red_line"]


class ReplicationInline(ReadOnlyInline):
    model = Replication
    fields = ["adopter", "kind", "scenario", "status", "recorded_at", "verified_at"]
    select_related = ["adopter", "scenario"]


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "subject", "status", "supplier", "proposed_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["subject", "supplier"]
    search_fields = ["title", "subject__title", "supplier__name"]
    exclude = ["decided_by"]
    inlines = [ReplicationInline]


@admin.register(Replication)
class ReplicationAdmin(ReadOnlyAdmin):
    list_display = ["case", "adopter", "kind", "status", "recorded_at", "verified_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["case", "adopter"]
    search_fields = ["case__title", "adopter__name", "description"]
    exclude = ["recorded_by", "verified_by"]


# === Tolerance register (包容期 and 容错) ===


class CheckpointInline(ReadOnlyInline):
    model = ToleranceCheckpoint
    fields = ["title", "due_on", "done_on", "note"]


class IncidentInline(ReadOnlyInline):
    model = ToleranceIncident
    fields = ["occurred_on", "description", "decision", "decision_basis", "decided_by", "decided_at"]
    select_related = ["decided_by"]


class ExtensionInline(ReadOnlyInline):
    model = ToleranceExtension
    fields = ["requested_until", "reason", "status", "requested_by", "decided_at", "decision_reason"]
    select_related = ["requested_by"]


@admin.register(TolerancePeriod)
class TolerancePeriodAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "publisher", "starts_on", "ends_on", "status", "ended_on"]
    list_filter = ["status"]
    list_select_related = ["scenario__publisher"]
    search_fields = ["scenario__title", "scenario__publisher__name"]
    exclude = ["created_by"]
    inlines = [CheckpointInline, IncidentInline, ExtensionInline]

    @admin.display(description=_("场景发布单位"))
    def publisher(self, period):
        return period.scenario.publisher
