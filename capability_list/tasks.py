"""Celery tasks of capability_list: thin, each calls a service.

The edition workbook and the Excel import run as job kinds instead (capability_list/jobs.py),
so that their progress shows on the job page. Rematching after a save is matching's (matching/tasks.py).
"""

from celery import shared_task

from capability_list.services import enquiries_check_overdue


@shared_task(name="capability_list.enquiries_check_overdue")
def enquiries_check_overdue_task() -> dict:
    return enquiries_check_overdue()
