from celery import shared_task

from capability_list.enquiries import enquiries_check_overdue


@shared_task(name="capability_list.enquiries_check_overdue")
def enquiries_check_overdue_task() -> dict:
    return enquiries_check_overdue()
