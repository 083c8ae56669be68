"""Contest pages: contests and challenges, entries and consortia, eligibility, panels, the judges' page."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from accounts.models import Organisation, User
from accounts.permissions import require_role
from core.services import job_create
from contests import agreements, scoring, selectors, services
from contests import awards as award_services
from contests.choices import MilestoneKind, Round
from contests.eligibility import ALWAYS, POLICY_NOTE, RULE_KINDS, unmet_conditions
from contests.forms import (
    AgreementForm,
    BenefitForm,
    ChallengeForm,
    CriterionFormSet,
    EligibilityForm,
    EntryForm,
    JudgeProfileForm,
    PanelForm,
    ProgressReportForm,
    RelationshipForm,
    SubmitForm,
)
from contests.models import Award, Challenge, ConsortiumMember, Contest, ContestEntry, Milestone, Objection, RecusalCommitment, RoadshowSlot, ScoreSheet, ScoringLock


def contest_list(request):
    contests = Contest.objects.annotate(challenge_count=Count("challenges", distinct=True))
    return render(request, "contests/list.html", {"contests": contests})


def contest_detail(request, pk):
    contest = get_object_or_404(Contest, pk=pk)
    current = contest.current_round()
    rounds = [
        {"label": label, "start": contest.round_start(value), "end": contest.round_end(value), "current": value == current}
        for value, label in Round.choices
    ]
    challenges = contest.challenges.select_related("scenario", "scenario__publisher").annotate(
        entry_count=Count("entries", filter=~Q(entries__status__in=["draft", "withdrawn"]), distinct=True)
    )
    context = {
        "contest": contest, "rounds": rounds, "challenges": challenges, "criteria": contest.criteria.all(), "current": current,
        "scoring_started": contest.is_at_or_after(Round.ROADSHOW), "notice_started": contest.is_at_or_after(Round.NOTICE), "results_out": contest.is_at_or_after(Round.RESULTS),
    }
    if request.user.is_authenticated and request.user.has_role("operator"):
        chosen = set(contest.eligibility_rules.values_list("kind", flat=True)) | set(ALWAYS)
        context.update(
            rule_kinds=[{"code": code, "label": kind.label, "chosen": code in chosen, "always": code in ALWAYS} for code, kind in RULE_KINDS.items()],
            policy_note=POLICY_NOTE,
            rules_editable=not contest.is_at_or_after(Round.REGISTRATION),
        )
    return render(request, "contests/detail.html", context)


@login_required
@require_POST
def eligibility_rules(request, pk):
    require_role(request.user, "operator")
    contest = get_object_or_404(Contest, pk=pk)
    try:
        services.eligibility_rules_set(actor=request.user, contest=contest, kinds=request.POST.getlist("kinds"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("资格条件已保存。"))
    return redirect("contests:detail", pk=pk)




@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request, pk):
    """A publisher puts one of its published scenarios into the contest (during 发榜)."""
    contest = get_object_or_404(Contest, pk=pk)
    if not (request.user.has_role("publisher") and request.user.organisation_id):
        raise Http404
    form = ChallengeForm(request.POST or None, publisher=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_create(
                actor=request.user, contest=contest, scenario=form.cleaned_data["scenario"], award_cap=form.cleaned_data["award_cap"],
                requirements=form.cleaned_data["requirements"], title=form.cleaned_data["title"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已发榜。"))
            return redirect("contests:detail", pk=pk)
    return render(request, "contests/challenge_form.html", {"contest": contest, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, pk):
    challenge = get_object_or_404(Challenge.objects.select_related("contest", "scenario"), pk=pk)
    if not request.user.has_role("company"):
        raise Http404
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                actor=request.user, challenge=challenge, title=form.cleaned_data["title"], summary=form.cleaned_data["summary"], members=form.cleaned_data["member_codes"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("contests:entry-detail", pk=entry.pk)
    return render(request, "contests/entry_form.html", {"challenge": challenge, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request, pk):
    """The entry's page for its lead, its consortium members and operators (everyone else: 404)."""
    entry = get_object_or_404(selectors.entries_visible_to(request.user), pk=pk)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                form = SubmitForm(request.POST)
                services.entry_submit(actor=user, entry=entry, commitment_accepted=form.is_valid())
                messages.success(request, _("方案已提交。"))
            elif action in ("confirm", "decline"):
                membership = get_object_or_404(ConsortiumMember, entry=entry, organisation_id=user.organisation_id)
                services.consortium_respond(actor=user, membership=membership, accept=action == "confirm")
                messages.success(request, _("已答复联合体邀请。"))
            elif action == "credit_check":
                require_role(user, "operator")
                services.entry_record_credit_check(actor=user, entry=entry, passed=request.POST.get("passed") == "yes", note=request.POST.get("note", "")[:500])
                messages.success(request, _("已记录信用核查结果。"))
            elif action == "eligibility":
                require_role(user, "operator")
                form = EligibilityForm(request.POST)
                if form.is_valid():
                    services.entry_review_eligibility(actor=user, entry=entry, eligible=form.cleaned_data["decision"] == "eligible", reason=form.cleaned_data["reason"])
                    messages.success(request, _("已记录资格审查结果。"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("contests:entry-detail", pk=pk)
    membership = next((member for member in entry.members.all() if member.organisation_id == user.organisation_id), None)
    return render(
        request,
        "contests/entry_detail.html",
        {
            "entry": entry,
            "is_lead": user.organisation_id == entry.lead_id,
            "membership": membership,
            "is_operator": user.has_role("operator"),
            "commitment": services.CREDIT_COMMITMENT,
            "unmet": unmet_conditions(entry) if user.has_role("operator") else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel(request, pk):
    """Operators build a challenge's panel; conflicted judges are refused with the reasons."""
    require_role(request.user, "operator")
    challenge = get_object_or_404(Challenge.objects.select_related("contest", "scenario"), pk=pk)
    if request.method == "POST":
        form = PanelForm(request.POST)
        if form.is_valid():
            judge = get_object_or_404(User, pk=form.cleaned_data["judge"], role_assignments__role="judge")
            try:
                services.panel_assign(actor=request.user, challenge=challenge, judge=judge, is_chair=form.cleaned_data["is_chair"])
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("已加入评审组：%(name)s") % {"name": judge.display_name})
        return redirect("contests:panel", pk=pk)
    return render(
        request,
        "contests/panel.html",
        {
            "challenge": challenge,
            "members": selectors.panel_of(challenge),
            "suggestions": services.suggest_judges(challenge),
            "entries": challenge.entries.exclude(status__in=["draft", "withdrawn"]).select_related("lead"),
            "slots": RoadshowSlot.objects.filter(entry__challenge=challenge).select_related("entry__lead"),
            "draw": getattr(challenge, "running_order_draw", None),
        },
    )


@login_required
@require_POST
def entry_attachment(request, pk):
    entry = get_object_or_404(selectors.entries_visible_to(request.user), pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件。"))
        return redirect("contests:entry-detail", pk=pk)
    try:
        services.entry_attachment_add(actor=request.user, entry=entry, uploaded_file=upload)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("contests:entry-detail", pk=pk)


def _judge_entry_or_404(request, pk):
    """Operators and the entry's own parties through entries_visible_to; judges through their panels."""
    visible = selectors.entries_visible_to(request.user).filter(pk=pk).first()
    if visible is not None:
        return visible
    if request.user.has_role("judge"):
        return selectors.entry_for_judge(request.user, pk)
    raise Http404


@login_required
def attachment_download(request, pk, attachment_pk):
    entry = _judge_entry_or_404(request, pk)
    attachment = get_object_or_404(entry.attachments, pk=attachment_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def judge_home(request):
    """The judge's contests: sign the 回避承诺, then see the assigned entries (never a conflicted one)."""
    require_role(request.user, "judge")
    if request.method == "POST":
        contest = get_object_or_404(Contest, pk=request.POST.get("contest"), challenges__panel__judge=request.user)
        if request.POST.get("action") == "sign":
            services.recusal_commitment_sign(actor=request.user, contest=contest)
            messages.success(request, _("已签署回避承诺。"))
        elif request.POST.get("action") == "recuse":
            entry = selectors.entry_for_judge(request.user, request.POST.get("entry"))
            try:
                services.recuse(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("已回避：%(title)s") % {"title": entry.title})
        return redirect("contests:judge-home")
    contests = Contest.objects.filter(challenges__panel__judge=request.user).distinct()
    signed = set(RecusalCommitment.objects.filter(judge=request.user).values_list("contest_id", flat=True))
    entries = selectors.entries_for_judge(request.user)
    sheets = dict(ScoreSheet.objects.filter(judge=request.user, entry__in=[entry.pk for entry in entries]).values_list("entry_id", "status"))
    for entry in entries:
        entry.sheet_status = sheets.get(entry.pk, "")
    return render(
        request,
        "contests/judge_home.html",
        {
            "contests": [{"contest": contest, "signed": contest.pk in signed} for contest in contests], "entries": entries, "commitment": services.RECUSAL_COMMITMENT,
            "panels": request.user.panel_memberships.select_related("challenge__contest").order_by("-challenge__contest__year", "challenge_id"),
        },
    )


@login_required
@require_POST
def running_order(request, pk):
    require_role(request.user, "operator")
    challenge = get_object_or_404(Challenge, pk=pk)
    try:
        first = timezone.make_aware(datetime.strptime(request.POST.get("first_slot_at", ""), "%Y-%m-%dT%H:%M"))
        minutes = int(request.POST.get("minutes", "20"))
    except ValueError:
        messages.error(request, _("请填写第一位的开始时间和每个方案的路演时长。"))
        return redirect("contests:panel", pk=pk)
    try:
        services.running_order_draw(actor=request.user, challenge=challenge, first_slot_at=first, minutes_per_slot=minutes, room=request.POST.get("room", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已抽签确定出场顺序。"))
    return redirect("contests:panel", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def judge_profile(request):
    """A judge keeps the expert profile and declares relationships (the conflict rules read them)."""
    require_role(request.user, "judge")
    judge = request.user
    profile = getattr(judge, "judge_profile", None)
    profile_form = JudgeProfileForm(
        request.POST if request.POST.get("form") == "profile" else None,
        initial={"title": profile.title, "fields_text": "、".join(profile.fields), "affiliation_credit_code": profile.affiliation_credit_code} if profile else None,
    )
    relationship_form = RelationshipForm(request.POST if request.POST.get("form") == "relationship" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "profile" and profile_form.is_valid():
                words = profile_form.cleaned_data["fields_text"].replace("，", "、").replace(",", "、").split("、")
                services.judge_profile_save(
                    actor=judge, judge=judge, title=profile_form.cleaned_data["title"], fields=words, affiliation_credit_code=profile_form.cleaned_data["affiliation_credit_code"]
                )
                messages.success(request, _("已保存专家信息。"))
                return redirect("contests:judge-profile")
            if request.POST.get("form") == "relationship" and relationship_form.is_valid():
                organisation = Organisation.objects.filter(credit_code=relationship_form.cleaned_data["organisation_code"].strip()).first()
                if organisation is None:
                    relationship_form.add_error("organisation_code", _("未找到该信用代码对应的单位。"))
                else:
                    services.relationship_declare(
                        actor=judge, judge=judge, organisation=organisation, kind=relationship_form.cleaned_data["kind"],
                        ended_year=relationship_form.cleaned_data["ended_year"], note=relationship_form.cleaned_data["note"],
                    )
                    messages.success(request, _("已申报关系。"))
                    return redirect("contests:judge-profile")
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "contests/judge_profile.html",
        {"profile_form": profile_form, "relationship_form": relationship_form, "relationships": judge.declared_relationships.select_related("organisation")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric(request, pk):
    """The operator edits the score sheet until 路演评审 opens; the maxima must sum to 100."""
    require_role(request.user, "operator")
    contest = get_object_or_404(Contest, pk=pk)
    initial = list(contest.criteria.values("dimension", "name", "max_points"))
    formset = CriterionFormSet(request.POST, prefix="criteria") if request.method == "POST" else CriterionFormSet(initial=initial, prefix="criteria")
    if request.method == "POST" and formset.is_valid():
        rows = [form.cleaned_data for form in formset.forms if form.cleaned_data.get("name")]
        try:
            services.rubric_update(actor=request.user, contest=contest, criteria=rows)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("评分表已保存。"))
            return redirect("contests:detail", pk=pk)
    return render(request, "contests/rubric.html", {"contest": contest, "formset": formset, "frozen": contest.is_at_or_after(Round.ROADSHOW)})


def open_challenges(request):
    """Public: the challenges of contests now publishing or taking entries."""
    now = timezone.now()
    challenges = (
        Challenge.objects.filter(contest__challenges_open_at__lte=now, contest__eligibility_open_at__gt=now)
        .select_related("contest", "scenario", "scenario__publisher", "scenario__domain", "scenario__district")
        .order_by("contest__eligibility_open_at", "id")
    )
    return render(request, "contests/open_challenges.html", {"challenges": challenges})


# ---- roadshow scoring ------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request, pk):
    """A judge's sheet for one entry, sized for a tablet: the rubric, a running total, a comment
    per criterion; save as draft or submit (sign and lock). Other judges' scores never appear."""

    require_role(request.user, "judge")
    entry = selectors.entry_for_judge(request.user, pk)
    contest = entry.challenge.contest
    criteria = list(contest.criteria.all())
    sheet = ScoreSheet.objects.filter(entry=entry, judge=request.user).prefetch_related("scores").first()
    typed = {score.criterion_id: (str(score.points).removesuffix(".0"), score.comment) for score in sheet.scores.all()} if sheet else {}
    error, status = "", 200
    if request.method == "POST":
        points = {criterion.pk: request.POST.get(f"points_{criterion.pk}", "") for criterion in criteria}
        comments = {criterion.pk: request.POST.get(f"comment_{criterion.pk}", "") for criterion in criteria}
        submit = request.POST.get("action") == "submit"
        try:
            scoring.sheet_save(actor=request.user, entry=entry, points=points, comments=comments, submit=submit)
        except DomainError as refusal:
            error, status = refusal.message, 400
            typed = {criterion.pk: (points[criterion.pk], comments[criterion.pk]) for criterion in criteria}
        else:
            messages.success(request, _("评分表已签名提交。") if submit else _("草稿已保存。"))
            return redirect("contests:score-sheet", pk=entry.pk)
    own_entries = [candidate for candidate in selectors.entries_for_judge(request.user) if candidate.challenge_id == entry.challenge_id]
    position = next(index for index, candidate in enumerate(own_entries) if candidate.pk == entry.pk)
    rows = [{"criterion": criterion, "points": typed.get(criterion.pk, ("", ""))[0], "comment": typed.get(criterion.pk, ("", ""))[1]} for criterion in criteria]
    submitted = sheet is not None and sheet.is_submitted
    context = {
        "entry": entry, "contest": contest, "rows": rows, "sheet": sheet, "submitted": submitted, "error": error,
        "editable": not submitted and contest.current_round() in scoring.SCORING_ROUNDS and not ScoringLock.objects.filter(challenge_id=entry.challenge_id).exists(),
        "previous": own_entries[position - 1] if position > 0 else None,
        "next": own_entries[position + 1] if position + 1 < len(own_entries) else None,
        "position": position + 1, "count": len(own_entries),
    }
    return render(request, "contests/score_sheet.html", context, status=status)


def _sheet_statuses(challenge, snapshot) -> list[dict]:
    """Per entry: which judges are expected and whether each has submitted (never the points)."""

    statuses = {(entry_id, judge_id): (status, pk) for entry_id, judge_id, status, pk in ScoreSheet.objects.filter(entry__challenge=challenge).values_list("entry_id", "judge_id", "status", "pk")}
    judges = {membership.judge_id: membership.judge for membership in challenge.panel.select_related("judge")}
    rows = []
    for row in snapshot.results["entries"] if snapshot else []:
        expected = next((entry["expected_judges"] for entry in snapshot.inputs["entries"] if entry["id"] == row["entry"]), [])
        rows.append({
            "row": row,
            "sheets": [{"judge": judges.get(judge_id), "status": statuses.get((row["entry"], judge_id), ("", None))[0], "sheet": statuses.get((row["entry"], judge_id), ("", None))[1]} for judge_id in expected],
        })
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def ranking(request, pk):
    """A challenge's scoring: sheet progress, the chair's lock and reopen, and — for operators, or
    for the panel once complete — the trimmed-mean ranking with its diagnostics."""

    challenge = get_object_or_404(Challenge.objects.select_related("contest", "scenario"), pk=pk)
    access = selectors.ranking_access(request.user, challenge)
    if request.method == "POST":
        action, reason = request.POST.get("action"), request.POST.get("reason", "")
        try:
            if action == "lock":
                scoring.scoring_lock(actor=request.user, challenge=challenge)
            elif action == "unlock":
                scoring.scoring_unlock(actor=request.user, challenge=challenge, reason=reason)
            elif action == "reopen":
                sheet = get_object_or_404(ScoreSheet, pk=request.POST.get("sheet") or 0, entry__challenge=challenge)
                scoring.sheet_reopen(actor=request.user, sheet=sheet, reason=reason)
            elif action == "tie":
                positions = sorted(
                    ((request.POST.get(f"position_{entry_id}", ""), entry_id) for entry_id in request.POST.getlist("entries")),
                    key=lambda pair: (not pair[0].isdigit(), int(pair[0]) if pair[0].isdigit() else 0),
                )
                if any(not position.isdigit() for position, _entry in positions):
                    raise DomainError(_("请为每个并列方案填写名次先后（数字）。"))
                scoring.tie_decide(actor=request.user, challenge=challenge, order=[entry_id for _position, entry_id in positions], reason=reason)
            elif action == "recompute" and access["operator"]:
                scoring.ranking_recompute(challenge, trigger="manual")
            elif action == "export":
                job = job_create(actor=request.user, kind="contests.score_summary", params={"contest": challenge.contest_id})
                return redirect("core:job-detail", pk=job.pk)
            else:
                raise Http404
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已完成。"))
        return redirect("contests:ranking", pk=pk)
    snapshot = access["snapshot"]
    judge_names = {membership.judge_id: membership.judge.display_name for membership in challenge.panel.select_related("judge")}
    context = {
        "challenge": challenge, "access": access, "snapshot": snapshot, "statuses": _sheet_statuses(challenge, snapshot),
        "locked": ScoringLock.objects.filter(challenge=challenge).select_related("locked_by").first(),
        "judge_rows": [dict(row, name=judge_names.get(row["judge"], "—")) for row in snapshot.results["judges"]] if snapshot and access["judges"] else [],
        "ranking_rows": [
            dict(row, outlier_names=[judge_names.get(judge, "—") for judge in row["diagnostics"]["outlier_judges"]] if row["diagnostics"] and access["judges"] else [])
            for row in snapshot.results["entries"]
        ] if snapshot else [],
        "tie_groups": _tie_groups(snapshot) if snapshot and access["operator"] else [],
        "history": challenge.ranking_snapshots.only("pk", "computed_at", "trigger", "inputs_sha256")[:10] if access["operator"] else [],
    }
    return render(request, "contests/ranking.html", context)


def _tie_groups(snapshot) -> list[list[dict]]:
    groups: dict[int, list[dict]] = {}
    for row in snapshot.results["entries"]:
        if row["tie_break"] == "unresolved":
            groups.setdefault(row["rank"], []).append(row)
    return list(groups.values())


def live_screen(request, pk):
    """The venue screen: each challenge's running order, and an entry's scores as soon as its
    whole panel has submitted. Public (it shows what the room is told); refreshed by htmx."""

    contest = get_object_or_404(Contest, pk=pk)
    if not contest.is_at_or_after(Round.ROADSHOW):
        raise Http404
    boards = []
    snapshots = selectors.latest_snapshots(contest)
    slots_by_challenge: dict[int, list] = {}
    for slot in RoadshowSlot.objects.filter(entry__challenge__contest=contest, entry__status="eligible").select_related("entry", "entry__lead").order_by("position"):
        slots_by_challenge.setdefault(slot.entry.challenge_id, []).append(slot)
    for challenge in contest.challenges.order_by("pk"):
        snapshot = snapshots.get(challenge.pk)
        results = {row["entry"]: row for row in snapshot.results["entries"]} if snapshot else {}
        rows = [{"slot": slot, "result": results.get(slot.entry_id)} for slot in slots_by_challenge.get(challenge.pk, [])]
        if not rows:  # no draw yet: the eligible entries in the ranking's order
            rows = [{"slot": None, "title": row["title"], "lead": row["lead"], "result": row} for row in results.values()]
        boards.append({"challenge": challenge, "rows": rows, "done": sum(1 for row in rows if row["result"] and row["result"]["complete"])})
    template = "contests/_live_boards.html" if request.headers.get("HX-Request") else "contests/live.html"
    return render(request, template, {"contest": contest, "boards": boards, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def notice(request, pk):
    """公示: ranks, totals and subtotals per challenge (no per-judge data); objections during the
    notice round; after it, the awards."""

    contest = get_object_or_404(Contest, pk=pk)
    is_operator = request.user.is_authenticated and request.user.has_role("operator")
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            if request.POST.get("action") == "answer":
                require_role(request.user, "operator")
                objection = get_object_or_404(Objection, pk=request.POST.get("objection") or 0, challenge__contest=contest)
                award_services.objection_answer(actor=request.user, objection=objection, answer=request.POST.get("answer", ""))
                messages.success(request, _("已答复异议。"))
            else:
                challenge = get_object_or_404(Challenge, pk=request.POST.get("challenge") or 0, contest=contest)
                entry_id = request.POST.get("entry") or None
                entry = get_object_or_404(ContestEntry, pk=entry_id, challenge=challenge) if entry_id else None
                award_services.objection_raise(actor=request.user, challenge=challenge, entry=entry, text=request.POST.get("text", ""))
                messages.success(request, _("异议已提交，运营管理人员将在公示期内答复。"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("contests:notice", pk=pk)
    started = contest.is_at_or_after(Round.NOTICE)
    results_out = contest.is_at_or_after(Round.RESULTS)
    boards = []
    if started:
        awards = {award.entry_id: award for award in contest.awards.all()} if results_out else {}
        snapshots = selectors.latest_snapshots(contest)
        for challenge in contest.challenges.order_by("pk"):
            rows = selectors.published_ranking(snapshots.get(challenge.pk)) or []
            for row in rows:
                row["award"] = awards.get(row["entry"])
            boards.append({"challenge": challenge, "rows": rows})
    objections = Objection.objects.filter(challenge__contest=contest).select_related("challenge", "entry").order_by("created_at", "pk")
    if not is_operator:
        objections = objections.filter(raised_by_id=getattr(request.user, "pk", None)) if request.user.is_authenticated else objections.none()
    return render(
        request, "contests/notice.html",
        {"contest": contest, "started": started, "results_out": results_out, "boards": boards, "objections": objections, "is_operator": is_operator,
         "objecting": contest.current_round() == Round.NOTICE, "notice_end": contest.round_end(Round.NOTICE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def awards(request, pk):
    """Operators decide awards once 公示 is over: at most the challenge cap, within the budget,
    only for ranked entries whose 信用核查 passed."""

    require_role(request.user, "operator")
    contest = get_object_or_404(Contest, pk=pk)
    form_errors: dict[int, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "export":
            job = job_create(actor=request.user, kind="contests.score_summary", params={"contest": contest.pk})
            return redirect("core:job-detail", pk=job.pk)
        try:
            if action == "withdraw":
                award = get_object_or_404(Award, pk=request.POST.get("award") or 0, contest=contest)
                award_services.award_withdraw(actor=request.user, award=award, reason=request.POST.get("reason", ""))
                messages.success(request, _("已撤销奖励。"))
            else:
                entry = get_object_or_404(ContestEntry.objects.select_related("challenge__contest"), pk=request.POST.get("entry") or 0, challenge__contest=contest)
                award_services.award_decide(actor=request.user, entry=entry, amount=request.POST.get("amount", ""), note=request.POST.get("note", ""))
                messages.success(request, _("已决定奖励：%(title)s") % {"title": entry.title})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("contests:awards", pk=pk)
    entries = {entry.pk: entry for entry in ContestEntry.objects.filter(challenge__contest=contest).select_related("lead")}
    awards_by_entry = {award.entry_id: award for award in contest.awards.all()}
    boards = []
    snapshots = selectors.latest_snapshots(contest)
    for challenge in contest.challenges.annotate(open_objections=Count("objections", filter=Q(objections__status="open"))).order_by("pk"):
        rows = selectors.published_ranking(snapshots.get(challenge.pk))
        boards.append({
            "challenge": challenge,
            "rows": [dict(row, entry_obj=entries.get(row["entry"]), award=awards_by_entry.get(row["entry"])) for row in rows] if rows else None,
        })
    total = award_services.awarded_total(contest)
    return render(
        request, "contests/awards.html",
        {"contest": contest, "boards": boards, "total": total, "remaining": contest.award_budget - total, "deciding": contest.current_round() == Round.RESULTS, "form_errors": form_errors},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperation(request, pk):
    """A winner after the contest: cooperation mode, the 联合攻关任务书 with milestones and
    progress reports, and the policy benefits. Operators and the two parties only."""

    entry = get_object_or_404(ContestEntry.objects.select_related("award", "lead", "challenge__contest", "challenge__scenario__publisher"), pk=pk, award__isnull=False)
    user = request.user
    is_operator = user.has_role("operator")
    if not (is_operator or (user.organisation_id and user.organisation_id in {entry.lead_id, entry.challenge.scenario.publisher_id})):
        raise Http404
    agreement = getattr(entry, "agreement", None)
    initial = {}
    if agreement:
        initial = {field: getattr(agreement, field) for field in ["mode", "title", "objectives", "contract_amount", "starts_on", "ends_on", "signed_on"]}
        initial.update({f"{milestone.kind}_due": milestone.due_on for milestone in agreement.milestones.all()})
    agreement_form = AgreementForm(initial=initial)
    benefit_form = BenefitForm(initial={"year": timezone.localdate().year})
    report_form = ProgressReportForm(agreement=agreement) if agreement else None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "agreement":
                require_role(user, "operator")
                agreement_form = AgreementForm(request.POST)
                if agreement_form.is_valid():
                    data = agreement_form.cleaned_data
                    agreements.agreement_save(
                        actor=user, entry=entry, mode=data["mode"], title=data["title"], objectives=data["objectives"], contract_amount=data["contract_amount"],
                        starts_on=data["starts_on"], ends_on=data["ends_on"], signed_on=data["signed_on"],
                        milestones={kind: data[f"{kind}_due"] for kind in MilestoneKind.values},
                    )
                    messages.success(request, _("已保存合作方式与任务书。"))
                    return redirect("contests:cooperation", pk=pk)
            elif action == "milestone":
                require_role(user, "operator")
                milestone = get_object_or_404(Milestone, pk=request.POST.get("milestone") or 0, agreement__entry=entry)
                try:
                    completed = datetime.strptime(request.POST.get("completed_on", ""), "%Y-%m-%d").date()
                except ValueError:
                    raise DomainError(_("请填写实际完成日期。")) from None
                agreements.milestone_complete(actor=user, milestone=milestone, completed_on=completed, note=request.POST.get("note", ""))
                messages.success(request, _("已登记节点完成。"))
                return redirect("contests:cooperation", pk=pk)
            elif action == "report" and agreement:
                report_form = ProgressReportForm(request.POST, agreement=agreement)
                if report_form.is_valid():
                    agreements.progress_report_add(actor=user, agreement=agreement, text=report_form.cleaned_data["text"], milestone=report_form.cleaned_data["milestone"])
                    messages.success(request, _("已报送进展。"))
                    return redirect("contests:cooperation", pk=pk)
            elif action == "benefit":
                require_role(user, "operator")
                benefit_form = BenefitForm(request.POST)
                if benefit_form.is_valid():
                    agreements.benefit_record(actor=user, entry=entry, **benefit_form.cleaned_data)
                    messages.success(request, _("已登记政策支持。"))
                    return redirect("contests:cooperation", pk=pk)
            else:
                raise Http404
        except DomainError as error:
            form = {"agreement": agreement_form, "report": report_form, "benefit": benefit_form}.get(action)
            if form is not None and hasattr(form, "cleaned_data"):
                form.add_error(None, error.message)
            else:
                messages.error(request, error.message)
        status = 400
    return render(
        request, "contests/cooperation.html",
        {"entry": entry, "agreement": agreement, "parties": agreements.parties(entry), "is_operator": is_operator, "agreement_form": agreement_form,
         "benefit_form": benefit_form, "report_form": report_form, "milestones": agreement.milestones.all() if agreement else [],
         "reports": agreement.progress_reports.select_related("submitted_by", "milestone") if agreement else [], "benefits": entry.benefits.all()},
        status=status,
    )
