from celery import shared_task

from core.services.jobs import job_run


@shared_task(name="core.job_run")
def job_run_task(job_id: int) -> None:
    job_run(job_id=job_id)
