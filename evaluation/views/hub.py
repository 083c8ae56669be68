"""The operators' evaluation hub.

Evaluation pages: parse, authorise, call one service or selector, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.choices import Role
from accounts.permissions import require_role
from evaluation import selectors


@login_required
def hub(request):
    """场景评估: where operators start every evaluation task, with what is waiting for them."""
    require_role(request.user, Role.OPERATOR)
    return render(request, "evaluation/hub.html", {"overview": selectors.operator_overview()})
