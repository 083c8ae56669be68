"""场景大赛 in the admin of the 系统管理员 role (see core.admin for who gets in).

All read-only: contests, challenges, entries, panels, scores, awards and agreements change only
through contests.services and contests.scoring, which check the round and audit each step.
Points are not shown at all: no one sees a judge's scores before the panel is complete, and the
system administrator takes no part in scoring — score sheets appear with their status only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contests.models import (
    Award,
    Challenge,
    ConsortiumMember,
    Contest,
    ContestEntry,
    CooperationAgreement,
    Criterion,
    EligibilityRule,
    EntryAttachment,
    JudgeProfile,
    Milestone,
    Objection,
    PanelMembership,
    PolicyBenefit,
    ProgressReport,
    Recusal,
    ScoreSheet,
)
from core.admin import ReadOnlyAdmin, ReadOnlyInline


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ["dimension", "name", "max_points", "position"]


class EligibilityRuleInline(ReadOnlyInline):
    model = EligibilityRule
    fields = ["kind", "parameter"]


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "award_budget", "current_round", "challenges_open_at", "results_open_at"]
    list_filter = ["year"]
    search_fields = ["name"]
    inlines = [CriterionInline, EligibilityRuleInline]

    @admin.display(description=_("当前阶段"))
    def current_round(self, contest):
        return contest.current_round_label


class PanelInline(ReadOnlyInline):
    model = PanelMembership
    fk_name = "challenge"
    fields = ["judge", "is_chair", "assigned_by", "assigned_at"]
    select_related = ["judge", "assigned_by"]


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["title", "contest", "scenario", "award_cap", "created_at"]
    list_filter = [("contest", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["contest", "scenario"]
    search_fields = ["title", "scenario__title", "scenario__publisher__name"]
    exclude = ["drafters"]
    inlines = [PanelInline]


class ConsortiumMemberInline(ReadOnlyInline):
    model = ConsortiumMember
    fields = ["organisation", "status", "responded_at"]
    select_related = ["organisation"]


class EntryAttachmentInline(ReadOnlyInline):
    model = EntryAttachment
    fields = ["original_name", "kind", "size", "uploaded_at"]


class ScoreSheetInline(ReadOnlyInline):
    model = ScoreSheet
    fields = ["judge", "status", "submitted_at"]  # no points: see the module docstring
    select_related = ["judge"]


class RecusalInline(ReadOnlyInline):
    model = Recusal
    fields = ["judge", "reason", "created_at"]
    select_related = ["judge"]


@admin.register(ContestEntry)
class ContestEntryAdmin(ReadOnlyAdmin):
    list_display = ["title", "challenge", "lead", "status", "credit_check", "submitted_at"]
    list_filter = ["status", "credit_check", ("challenge__contest", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["challenge", "lead"]
    search_fields = ["title", "lead__name", "lead__credit_code", "challenge__title"]
    inlines = [ConsortiumMemberInline, EntryAttachmentInline, ScoreSheetInline, RecusalInline]


@admin.register(JudgeProfile)
class JudgeProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "title", "organisation", "affiliation_credit_code"]
    list_select_related = ["user__organisation"]
    search_fields = ["user__display_name", "user__username", "user__organisation__name", "title"]

    @admin.display(description=_("所属机构"))
    def organisation(self, profile):
        return profile.user.organisation


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["challenge", "entry", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["challenge", "entry"]
    search_fields = ["text", "challenge__title"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["entry", "lead", "challenge", "contest", "amount", "decided_by", "decided_at"]
    list_filter = [("contest", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["entry__lead", "challenge", "contest", "decided_by"]
    search_fields = ["entry__title", "entry__lead__name", "challenge__title"]

    @admin.display(description=_("揭榜单位"))
    def lead(self, award):
        return award.entry.lead


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["kind", "due_on", "completed_on", "note"]


class ProgressReportInline(ReadOnlyInline):
    model = ProgressReport
    fields = ["submitted_at", "milestone", "text", "submitted_by"]
    select_related = ["milestone", "submitted_by"]


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(ReadOnlyAdmin):
    list_display = ["entry", "mode", "title", "contract_amount", "signed_on", "ends_on"]
    list_filter = ["mode"]
    list_select_related = ["entry"]
    search_fields = ["title", "entry__title", "entry__lead__name"]
    inlines = [MilestoneInline, ProgressReportInline]


@admin.register(PolicyBenefit)
class PolicyBenefitAdmin(ReadOnlyAdmin):
    list_display = ["entry", "kind", "year", "insured_kind", "subsidy_amount", "reference"]
    list_filter = ["kind", "year"]
    list_select_related = ["entry"]
    search_fields = ["entry__title", "entry__lead__name", "reference"]
