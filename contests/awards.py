"""Moved: the awards services are in contests.services.awards, awarded_total in contests.selectors.

Only the old import path is kept, for contests/demo_data.py (which is being moved out of the app);
delete this module with it. New code imports `from contests import services, selectors`."""

from contests.selectors import awarded_total
from contests.services.awards import award_decide, award_withdraw, objection_answer, objection_raise

__all__ = ["award_decide", "award_withdraw", "awarded_total", "objection_answer", "objection_raise"]
