"""Thin Celery tasks of the ground floor: the job runner and the beat job that rescues stuck jobs."""

import logging

from celery import shared_task

from core.services.jobs import job_run, jobs_requeue_stuck

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="core.job_run")
def job_run_task(self, job_id: int) -> None:
    """Run one job (idempotent: job_run claims the Job row). A transient error is retried by
    PortalTask with backoff; on the last try, or in-process, job_run marks the job failed instead."""
    if (self.request.delivery_info or {}).get("redelivered"):
        # Put back by a worker process that died with it, or handed out again by Redis.
        logger.info("job %s: message redelivered", job_id)
    final = self.request.is_eager or self.request.retries >= self.max_retries
    job_run(job_id=job_id, final=final)


@shared_task(name="core.jobs_requeue_stuck")
def jobs_requeue_stuck_task() -> dict:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE): jobs stuck past the time limit are queued again."""
    return jobs_requeue_stuck()
