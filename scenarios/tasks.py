"""scenarios has no Celery task of its own.

Its one background job, the catalogue export for lists too long to write during the request,
is a job kind registered in scenarios/exports.py; core.tasks.job_run_task runs it on a worker
(see core/jobs.py). Rematching a scenario after it changes is matching's task (matching/tasks.py).
"""
