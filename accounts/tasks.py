"""accounts has no Celery task of its own.

Its one background job, the organisation directory export, is a job kind registered in
accounts/exports.py; core.tasks.job_run_task runs it on a worker (see core/jobs.py).
Confirmation and invitation e-mails are sent after commit by the services, not by a task.
"""
