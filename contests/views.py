"""Contest pages: contests and challenges, entries and consortia, eligibility, panels, the judges' page."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.errors import DomainError
from accounts.models import Organisation, User
from accounts.permissions import require_role
from contests import selectors, services
from contests.choices import Round
from contests.eligibility import ALWAYS, POLICY_NOTE, RULE_KINDS, unmet_conditions
from contests.forms import ChallengeForm, CriterionFormSet, EligibilityForm, EntryForm, JudgeProfileForm, PanelForm, RelationshipForm, SubmitForm
from contests.models import Challenge, ConsortiumMember, Contest, RecusalCommitment, RoadshowSlot


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
    context = {"contest": contest, "rounds": rounds, "challenges": challenges, "criteria": contest.criteria.all(), "current": current}
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
    return render(
        request,
        "contests/judge_home.html",
        {"contests": [{"contest": contest, "signed": contest.pk in signed} for contest in contests], "entries": selectors.entries_for_judge(request.user), "commitment": services.RECUSAL_COMMITMENT},
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
