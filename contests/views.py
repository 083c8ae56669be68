"""Contest pages: the public list of contests and open challenges; the operator's rule editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.http import Http404
from django.views.decorators.http import require_http_methods, require_POST

from accounts.errors import DomainError
from accounts.permissions import require_role
from accounts.models import User
from contests import selectors, services
from contests.choices import Round
from contests.eligibility import ALWAYS, POLICY_NOTE, RULE_KINDS, unmet_conditions
from contests.forms import ChallengeForm, EligibilityForm, EntryForm, PanelForm, SubmitForm
from contests.models import Challenge, ConsortiumMember, Contest


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
        },
    )
