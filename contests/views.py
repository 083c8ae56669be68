"""Contest pages: the public list of contests and open challenges; the operator's rule editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.permissions import require_role
from contests import services
from contests.choices import Round
from contests.eligibility import ALWAYS, POLICY_NOTE, RULE_KINDS
from contests.models import Contest


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


