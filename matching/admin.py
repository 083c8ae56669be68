"""Matching in the admin of the 系统管理员 role (see core.admin for who gets in), read-only.

Matches (hundreds of thousands of rows, rebuilt nightly) are not listed here: operators read
them on the match table (/matches/); the fitted models are, to see when a rebuild ran.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from matching.models import MatchingModel


@admin.register(MatchingModel)
class MatchingModelAdmin(ReadOnlyAdmin):
    list_display = ["id", "state", "scenarios", "entries", "pairs", "started_at", "fitted_at", "activated_at"]
    list_filter = ["state"]
