"""Contest pages: contests and challenges, entries and consortia, eligibility, panels, the judges'
pages, scoring and ranking, the venue screen, 公示, awards and cooperation.

Each view parses its form, authorises through contests.permissions (a page a person may not use
answers 404, and so does a foreign id), reads through contests.selectors and acts through one
service with core.actions, which shows the service's refusal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contests import operator_selectors, selectors, services
from contests.choices import Round
from contests.eligibility import POLICY_NOTE, unmet_conditions
from contests.entry_calls import calls_for_challenges
from contests.entry_steps import entry_results, next_step
from contests.forms import (
    ActionForm,
    AgreementForm,
    AttachmentForm,
    AwardForm,
    AwardWithdrawForm,
    BenefitForm,
    ChallengeForm,
    CreditCheckForm,
    CriterionFormSet,
    EligibilityForm,
    EligibilityRulesForm,
    EntryForm,
    JudgeHomeForm,
    JudgeProfileForm,
    MilestoneCompleteForm,
    ObjectionAnswerForm,
    ObjectionForm,
    PanelForm,
    ProgressReportForm,
    ReasonForm,
    RelationshipForm,
    RunningOrderForm,
    ScoreSheetForm,
    SheetReopenForm,
    SubmitForm,
    TieOrderForm,
)
from contests.models import Challenge, Contest
from contests.permissions import (
    acts_for_consortium_member,
    can_publish_challenges,
    is_company,
    is_judge,
    is_lead_of,
    may_manage_contest,
    may_raise_objection,
    may_see_judges_scores,
)
from contests.rounds import scoring_open
from core.actions import action_redirect, errors_text, page_action
from core.permissions import post_only, require


def _posted(request, form) -> bool:
    """Whether the form is valid; when it is not, say why (the page then goes back)."""
    if form.is_valid():
        return True
    messages.error(request, errors_text(form))
    return False


# ---- contests and challenges -------------------------------------------------------------------


@login_required
def my_entries(request):
    """ "我的揭榜": a company's entries in every state, each with its next step."""
    require(is_company(request.user))
    entries = list(selectors.entries_of_my_organisation(request.user))
    rows = [{"entry": entry, "step": next_step(entry, request.user.organisation_id)} for entry in entries]
    return render(request, "contests/my_entries.html", {"rows": rows})


def contest_list(request):
    return render(
        request,
        "contests/list.html",
        {"contests": selectors.contests_listed(), "can_manage": may_manage_contest(request.user)},
    )


def contest_detail(request, pk):
    contest = get_object_or_404(Contest, pk=pk)
    current = contest.current_round()
    rounds = [
        {
            "label": label,
            "start": contest.round_start(value),
            "end": contest.round_end(value),
            "current": value == current,
        }
        for value, label in Round.choices
    ]
    context = {
        "contest": contest,
        "rounds": rounds,
        "challenges": selectors.challenges_of(contest),
        "criteria": contest.criteria.all(),
        "current": current,
        "scoring_started": contest.is_at_or_after(Round.ROADSHOW),
        "notice_started": contest.is_at_or_after(Round.NOTICE),
        "results_out": contest.is_at_or_after(Round.RESULTS),
        "can_publish": can_publish_challenges(request.user),
        "can_enter": is_company(request.user),
    }
    if may_manage_contest(request.user):
        context.update(
            rule_kinds=selectors.eligibility_rule_choices(contest),
            policy_note=POLICY_NOTE,
            rules_editable=not contest.is_at_or_after(Round.REGISTRATION),
            is_manager=True,
            schedule_history=operator_selectors.schedule_history(contest),
        )
    return render(request, "contests/detail.html", context)


@login_required
@post_only
def eligibility_rules(request, pk):
    require(may_manage_contest(request.user))
    contest = get_object_or_404(Contest, pk=pk)
    form = EligibilityRulesForm(request.POST)
    if _posted(request, form):
        page_action(
            request,
            services.eligibility_rules_set,
            success=_("资格条件已保存。"),
            contest=contest,
            kinds=form.cleaned_data["kinds"],
        )
    return redirect("contests:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def rubric(request, pk):
    """The operator edits the score sheet until 路演评审 opens; the maxima must sum to 100."""
    require(may_manage_contest(request.user))
    contest = get_object_or_404(Contest, pk=pk)
    if request.method == "POST":
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if formset.is_valid():
            rows = [form.cleaned_data for form in formset.forms if form.cleaned_data.get("name")]
            if page_action(
                request, services.rubric_update, success=_("评分表已保存。"), contest=contest, criteria=rows
            ).ok:
                return redirect("contests:detail", pk=pk)
    else:
        formset = CriterionFormSet(initial=selectors.rubric_of(contest), prefix="criteria")
    return render(
        request,
        "contests/rubric.html",
        {"contest": contest, "formset": formset, "frozen": contest.is_at_or_after(Round.ROADSHOW)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request, pk):
    """A publisher puts one of its published scenarios into the contest (during 发榜)."""
    contest = get_object_or_404(Contest, pk=pk)
    require(can_publish_challenges(request.user))
    form = ChallengeForm(request.POST or None, publisher=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        if page_action(
            request, services.challenge_create, form=form, success=_("已发榜。"), contest=contest, **form.cleaned_data
        ).ok:
            return redirect("contests:detail", pk=pk)
    return render(request, "contests/challenge_form.html", {"contest": contest, "form": form})


def open_challenges(request):
    """Public: the challenges of contests now publishing or taking entries, each with 我要揭榜 (or the
    way to the reader's entry, or when registration opens)."""
    challenges = list(selectors.challenges_taking_entries())
    calls = calls_for_challenges(request.user, challenges)
    rows = [{"challenge": challenge, "call": calls[challenge.pk]} for challenge in challenges]
    return render(request, "contests/open_challenges.html", {"rows": rows})


# ---- entries -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, pk):
    challenge = get_object_or_404(Challenge.objects.select_related("contest", "scenario"), pk=pk)
    require(is_company(request.user))
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = page_action(
            request,
            services.entry_create,
            form=form,
            challenge=challenge,
            title=data["title"],
            summary=data["summary"],
            members=data["member_codes"],
        )
        if outcome.ok:
            return redirect("contests:entry-detail", pk=outcome.value.pk)
    return render(request, "contests/entry_form.html", {"challenge": challenge, "form": form})


ENTRY_ACTIONS = ("submit", "confirm", "decline", "credit_check", "eligibility")


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request, pk):
    """The entry's page for its lead, its consortium members and operators (everyone else: 404)."""
    entry = get_object_or_404(selectors.entries_visible_to(request.user), pk=pk)
    user = request.user
    if request.method == "POST":
        action = ActionForm(request.POST, actions=ENTRY_ACTIONS).action
        if action == "submit":
            page_action(
                request,
                services.entry_submit,
                success=_("方案已提交。"),
                entry=entry,
                commitment_accepted=SubmitForm(request.POST).is_valid(),
            )
        elif action in ("confirm", "decline"):
            membership = selectors.invitation_of(user, entry)
            page_action(
                request,
                services.consortium_respond,
                success=_("已答复联合体邀请。"),
                membership=membership,
                accept=action == "confirm",
            )
        elif action == "credit_check":
            require(may_manage_contest(user))
            form = CreditCheckForm(request.POST)
            if _posted(request, form):
                page_action(
                    request,
                    services.entry_record_credit_check,
                    success=_("已记录信用核查结果。"),
                    entry=entry,
                    passed=form.cleaned_data["passed"] == "yes",
                    note=form.cleaned_data["note"],
                )
        elif action == "eligibility":
            require(may_manage_contest(user))
            form = EligibilityForm(request.POST)
            if _posted(request, form):
                page_action(
                    request,
                    services.entry_review_eligibility,
                    success=_("已记录资格审查结果。"),
                    entry=entry,
                    eligible=form.cleaned_data["decision"] == "eligible",
                    reason=form.cleaned_data["reason"],
                )
        return redirect("contests:entry-detail", pk=pk)
    manager = may_manage_contest(user)
    return render(
        request,
        "contests/entry_detail.html",
        {
            "entry": entry,
            "is_lead": is_lead_of(user, entry),
            "membership": next(
                (member for member in entry.members.all() if acts_for_consortium_member(user, member.organisation_id)),
                None,
            ),
            "is_operator": manager,
            "commitment": services.CREDIT_COMMITMENT,
            "unmet": unmet_conditions(entry) if manager else [],
            "results": entry_results(user, entry),
        },
    )


@login_required
@post_only
def entry_attachment(request, pk):
    entry = get_object_or_404(selectors.entries_visible_to(request.user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if _posted(request, form):
        page_action(
            request,
            services.entry_attachment_add,
            success=_("附件已上传。"),
            entry=entry,
            uploaded_file=form.cleaned_data["file"],
        )
    return redirect("contests:entry-detail", pk=pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    entry = selectors.entry_with_files_for(request.user, pk)
    attachment = get_object_or_404(entry.attachments, pk=attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


# ---- panels, the running order, judges ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def panel(request, pk):
    """Operators build a challenge's panel; conflicted judges are refused with the reasons."""
    require(may_manage_contest(request.user))
    challenge = get_object_or_404(Challenge.objects.select_related("contest", "scenario"), pk=pk)
    if request.method == "POST":
        form = PanelForm(request.POST)
        if _posted(request, form):
            judge = selectors.judge_for_panel(form.cleaned_data["judge"])
            page_action(
                request,
                services.panel_assign,
                success=_("已加入评审组：%(name)s") % {"name": judge.display_name},
                challenge=challenge,
                judge=judge,
                is_chair=form.cleaned_data["is_chair"],
            )
        return redirect("contests:panel", pk=pk)
    return render(
        request,
        "contests/panel.html",
        {
            "challenge": challenge,
            "members": selectors.panel_of(challenge),
            "suggestions": selectors.suggest_judges(challenge),
            "entries": selectors.entries_submitted_to(challenge),
            "slots": selectors.roadshow_slots_of(challenge),
            "draw": getattr(challenge, "running_order_draw", None),
        },
    )


@login_required
@post_only
def running_order(request, pk):
    require(may_manage_contest(request.user))
    challenge = get_object_or_404(Challenge, pk=pk)
    form = RunningOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写第一位的开始时间和每个方案的路演时长。"))
        return redirect("contests:panel", pk=pk)
    return action_redirect(
        request,
        services.running_order_draw,
        to=reverse("contests:panel", args=[pk]),
        success=_("已抽签确定出场顺序。"),
        challenge=challenge,
        first_slot_at=form.cleaned_data["first_slot_at"],
        minutes_per_slot=form.cleaned_data["minutes"],
        room=form.cleaned_data["room"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def judge_home(request):
    """The judge's contests: sign the 回避承诺, then see the assigned entries (never a conflicted one)."""
    judge = request.user
    require(is_judge(judge))
    if request.method == "POST":
        form = JudgeHomeForm(request.POST)
        if _posted(request, form):
            contest = get_object_or_404(selectors.contests_for_judge(judge), pk=form.cleaned_data["contest"])
            if form.cleaned_data["action"] == "sign":
                page_action(request, services.recusal_commitment_sign, success=_("已签署回避承诺。"), contest=contest)
            else:
                entry = selectors.entry_for_judge(judge, form.cleaned_data["entry"])
                page_action(
                    request,
                    services.recusal_declare,
                    success=_("已回避：%(title)s") % {"title": entry.title},
                    entry=entry,
                    reason=form.cleaned_data["reason"],
                )
        return redirect("contests:judge-home")
    return render(
        request,
        "contests/judge_home.html",
        {
            "contests": [
                {"contest": contest, "signed": contest.signed} for contest in selectors.contests_for_judge(judge)
            ],
            "entries": selectors.entries_for_judge_with_sheets(judge),
            "commitment": services.RECUSAL_COMMITMENT,
            "panels": selectors.panels_of_judge(judge),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def judge_profile(request):
    """A judge keeps the expert profile and declares relationships (the conflict rules read them)."""
    judge = request.user
    require(is_judge(judge))
    posted = (
        ActionForm(request.POST, actions=("profile", "relationship"), field="form").action
        if request.method == "POST"
        else None
    )
    profile_form = JudgeProfileForm(
        request.POST if posted == "profile" else None,
        initial=JudgeProfileForm.initial_for(getattr(judge, "judge_profile", None)),
    )
    relationship_form = RelationshipForm(request.POST if posted == "relationship" else None)
    if posted == "profile" and profile_form.is_valid():
        data = profile_form.cleaned_data
        outcome = page_action(
            request,
            services.judge_profile_save,
            success=_("已保存专家信息。"),
            judge=judge,
            title=data["title"],
            fields=data["fields_text"],
            affiliation_credit_code=data["affiliation_credit_code"],
        )
        if outcome.ok:
            return redirect("contests:judge-profile")
    if posted == "relationship" and relationship_form.is_valid():
        data = relationship_form.cleaned_data
        outcome = page_action(
            request,
            services.relationship_declare,
            success=_("已申报关系。"),
            judge=judge,
            organisation=data["organisation_code"],
            kind=data["kind"],
            ended_year=data["ended_year"],
            note=data["note"],
        )
        if outcome.ok:
            return redirect("contests:judge-profile")
    return render(
        request,
        "contests/judge_profile.html",
        {
            "profile_form": profile_form,
            "relationship_form": relationship_form,
            "relationships": selectors.relationships_of(judge),
        },
    )


# ---- roadshow scoring --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request, pk):
    """A judge's sheet for one entry, sized for a tablet: the rubric, a running total, a comment
    per criterion; save as draft or submit (sign and lock). Other judges' scores never appear."""
    require(is_judge(request.user))
    error, status, typed = "", 200, None
    if request.method == "POST":
        # sheet_save checks that the judge may score the entry (404 otherwise), so a post that is
        # saved reads neither the judge's queue nor the sheet: only a refusal shows the page again,
        # and the queue below checks the same rule before anything is shown (issue #20).
        posted_to, criteria = selectors.entry_to_score(pk)
        form = ScoreSheetForm(request.POST, criteria=criteria)
        if form.is_valid():
            submitted = _("评分表已签名提交。") if form.submit else _("草稿已保存。")
            outcome = page_action(
                request,
                services.sheet_save,
                form=form,
                success=submitted,
                entry=posted_to,
                points=form.points(),
                comments=form.comments(),
                submit=form.submit,
            )
            if outcome.ok:
                return redirect("contests:score-sheet", pk=posted_to.pk)
            error = outcome.error
        else:
            error = errors_text(form)
        status, typed = 400, form.typed()
    entry, queue = selectors.entry_on_sheet(request.user, pk)
    contest = entry.challenge.contest
    criteria = list(contest.criteria.all())
    sheet = selectors.sheet_of(request.user, entry)
    if typed is None:
        typed = (
            {score.criterion_id: (str(score.points).removesuffix(".0"), score.comment) for score in sheet.scores.all()}
            if sheet
            else {}
        )
    position = queue.index(entry.pk)
    rows = [
        {
            "criterion": criterion,
            "points": typed.get(criterion.pk, ("", ""))[0],
            "comment": typed.get(criterion.pk, ("", ""))[1],
        }
        for criterion in criteria
    ]
    submitted = sheet is not None and sheet.is_submitted
    context = {
        "entry": entry,
        "contest": contest,
        "rows": rows,
        "sheet": sheet,
        "submitted": submitted,
        "error": error,
        "editable": not submitted and scoring_open(contest) and not entry.scoring_locked,
        "previous": queue[position - 1] if position > 0 else None,
        "next": queue[position + 1] if position + 1 < len(queue) else None,
        "position": position + 1,
        "count": len(queue),
    }
    return render(request, "contests/score_sheet.html", context, status=status)


RANKING_ACTIONS = ("lock", "unlock", "reopen", "tie", "recompute", "export")


@login_required
@require_http_methods(["GET", "POST"])
def ranking(request, pk):
    """A challenge's scoring: sheet progress, the chair's lock and reopen, and — for operators, or
    for the panel once complete — the trimmed-mean ranking with its diagnostics."""
    challenge = get_object_or_404(Challenge.objects.select_related("contest", "scenario"), pk=pk)
    access = selectors.ranking_access(request.user, challenge)
    if request.method == "POST":
        return _ranking_action(request, challenge, access)
    snapshot = access["snapshot"]
    context = {
        "challenge": challenge,
        "access": access,
        "snapshot": snapshot,
        "statuses": selectors.sheet_progress(challenge, snapshot),
        "locked": selectors.scoring_lock_of(challenge),
        **selectors.ranking_rows(challenge, access),
        "history": selectors.ranking_history(challenge) if access["operator"] else [],
        "published": challenge.contest.is_at_or_after(Round.NOTICE),
        "summary_ready": may_see_judges_scores(request.user, challenge.contest),
        # The chair's send-back and close act only while scoring is open (路演评审, 复议); after
        # that the buttons would only answer an error, so they are not shown.
        "scoring_open": scoring_open(challenge.contest),
    }
    return render(request, "contests/ranking.html", context)


def _ranking_action(request, challenge, access):
    action = ActionForm(request.POST, actions=RANKING_ACTIONS).action
    # The panel sees this page too, but only operators recompute or export every judge's points.
    if action is None or (action in ("recompute", "export") and not access["operator"]):
        raise Http404
    done = _("已完成。")
    if action == "export":
        outcome = page_action(request, services.score_summary_export, contest=challenge.contest)
        if outcome.ok:
            return redirect("core:job-detail", pk=outcome.value.pk)
    elif action == "lock":
        page_action(request, services.scoring_lock, success=done, challenge=challenge)
    elif action == "recompute":
        form = ReasonForm(request.POST)
        if _posted(request, form):
            page_action(
                request,
                services.ranking_recompute_by_operator,
                success=done,
                challenge=challenge,
                reason=form.cleaned_data["reason"],
            )
    elif action == "unlock":
        form = ReasonForm(request.POST)
        if _posted(request, form):
            page_action(
                request, services.scoring_unlock, success=done, challenge=challenge, reason=form.cleaned_data["reason"]
            )
    elif action == "reopen":
        form = SheetReopenForm(request.POST)
        if _posted(request, form):
            sheet = selectors.sheet_of_challenge(challenge, form.cleaned_data["sheet"])
            page_action(request, services.sheet_reopen, success=done, sheet=sheet, reason=form.cleaned_data["reason"])
    else:  # tie
        form = TieOrderForm(request.POST)
        if _posted(request, form):
            page_action(
                request,
                services.tie_decide,
                success=done,
                challenge=challenge,
                order=form.cleaned_data["order"],
                reason=form.cleaned_data["reason"],
            )
    return redirect("contests:ranking", pk=challenge.pk)


def live_screen(request, pk):
    """The venue screen: each challenge's running order, and an entry's scores as soon as its
    whole panel has submitted. Public (it shows what the room is told); refreshed by htmx."""
    contest = get_object_or_404(Contest, pk=pk)
    if not contest.is_at_or_after(Round.ROADSHOW):
        raise Http404
    template = "contests/_live_boards.html" if request.headers.get("HX-Request") else "contests/live.html"
    return render(
        request, template, {"contest": contest, "boards": selectors.live_boards(contest), "now": timezone.now()}
    )


# ---- 公示, awards, cooperation -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notice(request, pk):
    """公示: ranks, totals and subtotals per challenge (no per-judge data); objections during the
    notice round; after it, the awards."""
    contest = get_object_or_404(Contest, pk=pk)
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if ActionForm(request.POST, actions=("answer",)).action == "answer":
            require(may_manage_contest(user))
            form = ObjectionAnswerForm(request.POST)
            if _posted(request, form):
                objection = get_object_or_404(
                    selectors.objections_visible_to(user, contest=contest), pk=form.cleaned_data["objection"]
                )
                page_action(
                    request,
                    services.objection_answer,
                    success=_("已答复异议。"),
                    objection=objection,
                    answer=form.cleaned_data["answer"],
                )
        else:
            require(may_raise_objection(user))
            form = ObjectionForm(request.POST)
            if _posted(request, form):
                challenge = get_object_or_404(contest.challenges, pk=form.cleaned_data["challenge"])
                entry = (
                    get_object_or_404(challenge.entries, pk=form.cleaned_data["entry"])
                    if form.cleaned_data["entry"]
                    else None
                )
                page_action(
                    request,
                    services.objection_raise,
                    success=_("异议已提交，运营管理人员将在公示期内答复。"),
                    challenge=challenge,
                    entry=entry,
                    text=form.cleaned_data["text"],
                )
        return redirect("contests:notice", pk=pk)
    started = contest.is_at_or_after(Round.NOTICE)
    return render(
        request,
        "contests/notice.html",
        {
            "contest": contest,
            "started": started,
            "results_out": contest.is_at_or_after(Round.RESULTS),
            "boards": selectors.notice_boards(contest) if started else [],
            "objections": selectors.objections_visible_to(user, contest=contest),
            "is_operator": may_manage_contest(user),
            "objecting": contest.current_round() == Round.NOTICE,
            "may_object": may_raise_objection(user),
            "notice_end": contest.round_end(Round.NOTICE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def awards(request, pk):
    """Operators decide awards once 公示 is over: at most the challenge cap, within the budget,
    only for ranked entries whose 信用核查 passed."""
    require(may_manage_contest(request.user))
    contest = get_object_or_404(Contest, pk=pk)
    if request.method == "POST":
        action = ActionForm(request.POST, actions=("export", "withdraw")).action
        if action == "export":
            outcome = page_action(request, services.score_summary_export, contest=contest)
            if outcome.ok:
                return redirect("core:job-detail", pk=outcome.value.pk)
        elif action == "withdraw":
            form = AwardWithdrawForm(request.POST)
            if _posted(request, form):
                award = get_object_or_404(contest.awards, pk=form.cleaned_data["award"])
                page_action(
                    request,
                    services.award_withdraw,
                    success=_("已撤销奖励。"),
                    award=award,
                    reason=form.cleaned_data["reason"],
                )
        else:
            form = AwardForm(request.POST)
            if _posted(request, form):
                entry = get_object_or_404(selectors.entries_of(contest), pk=form.cleaned_data["entry"])
                page_action(
                    request,
                    services.award_decide,
                    success=_("已决定奖励：%(title)s") % {"title": entry.title},
                    entry=entry,
                    amount=form.cleaned_data["amount"],
                    note=form.cleaned_data["note"],
                )
        return redirect("contests:awards", pk=pk)
    total = selectors.awarded_total(contest)
    return render(
        request,
        "contests/awards.html",
        {
            "contest": contest,
            "boards": selectors.award_boards(contest),
            "total": total,
            "remaining": contest.award_budget - total,
            "deciding": contest.current_round() == Round.RESULTS,
            "summary_ready": may_see_judges_scores(request.user, contest),
        },
    )


COOPERATION_ACTIONS = ("agreement", "milestone", "report", "benefit")


@login_required
@require_http_methods(["GET", "POST"])
def cooperation(request, pk):
    """A winner after the contest: cooperation mode, the 联合攻关任务书 with milestones and
    progress reports, and the policy benefits. Operators and the two parties only."""
    entry = selectors.cooperation_entry_for(request.user, pk)
    user = request.user
    agreement = getattr(entry, "agreement", None)
    agreement_form = AgreementForm(initial=AgreementForm.initial_for(agreement))
    benefit_form = BenefitForm(initial={"year": timezone.localdate().year})
    report_form = ProgressReportForm(agreement=agreement) if agreement else None
    status = 200
    if request.method == "POST":
        action = ActionForm(request.POST, actions=COOPERATION_ACTIONS).action
        if action == "agreement":
            require(may_manage_contest(user))
            agreement_form = AgreementForm(request.POST)
            if agreement_form.is_valid():
                data = agreement_form.cleaned_data
                outcome = page_action(
                    request,
                    services.agreement_save,
                    form=agreement_form,
                    success=_("已保存合作方式与任务书。"),
                    entry=entry,
                    mode=data["mode"],
                    title=data["title"],
                    objectives=data["objectives"],
                    contract_amount=data["contract_amount"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    signed_on=data["signed_on"],
                    milestones=agreement_form.milestones(),
                )
                if outcome.ok:
                    return redirect("contests:cooperation", pk=pk)
        elif action == "milestone":
            require(may_manage_contest(user))
            form = MilestoneCompleteForm(request.POST)
            if _posted(request, form):
                milestone = selectors.milestone_of(entry, form.cleaned_data["milestone"])
                outcome = page_action(
                    request,
                    services.milestone_complete,
                    success=_("已登记节点完成。"),
                    milestone=milestone,
                    completed_on=form.cleaned_data["completed_on"],
                    note=form.cleaned_data["note"],
                )
                if outcome.ok:
                    return redirect("contests:cooperation", pk=pk)
        elif action == "report" and agreement:
            report_form = ProgressReportForm(request.POST, agreement=agreement)
            if report_form.is_valid():
                outcome = page_action(
                    request,
                    services.progress_report_add,
                    form=report_form,
                    success=_("已报送进展。"),
                    agreement=agreement,
                    text=report_form.cleaned_data["text"],
                    milestone=report_form.cleaned_data["milestone"],
                )
                if outcome.ok:
                    return redirect("contests:cooperation", pk=pk)
        elif action == "benefit":
            require(may_manage_contest(user))
            benefit_form = BenefitForm(request.POST)
            if benefit_form.is_valid():
                outcome = page_action(
                    request,
                    services.benefit_record,
                    form=benefit_form,
                    success=_("已登记政策支持。"),
                    entry=entry,
                    **benefit_form.cleaned_data,
                )
                if outcome.ok:
                    return redirect("contests:cooperation", pk=pk)
        else:
            raise Http404
        status = 400
    return render(
        request,
        "contests/cooperation.html",
        {
            "entry": entry,
            "agreement": agreement,
            "is_operator": may_manage_contest(user),
            "agreement_form": agreement_form,
            "benefit_form": benefit_form,
            "report_form": report_form,
            **selectors.cooperation_records(entry, agreement),
        },
        status=status,
    )
