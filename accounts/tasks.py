from celery import shared_task

from accounts.services.jobs import job_run


@shared_task(name="accounts.job_run")
def job_run_task(job_id: int) -> None:
    job_run(job_id=job_id)
