"""The access matrix (#18, acceptance): every page and API route of the URL configuration × every
role (the demo logins, plus a judge and a member without a role employed by the demo SOE and by the
demo company) × own or foreign object, against a reviewed table of who may use which route.

- Someone the table does not name gets 404 whatever the method (signed out: sent to sign in; the
  API answers 401/403), never a 2xx, and a POST from them writes nothing.
- Someone who may open a page but not act on it (`get` but not `post`) gets no write from a POST:
  403, 404, a refusal message or the page again.
- Nobody gets a 500.
- Own vs foreign: each object is the own object of the demo login of its kind (the 轨道交通 publisher,
  the 甬视 company, the association, the judge, the 国资委 official); the same role of another
  organisation (publisher_other, company_other) is a foreigner and is not in the table.

- The admin (/admin/) is a surface of its own: only the 系统管理员 works there (三员分立). Django's
  admin sends whoever is not staff (signed out, or any other role) to the admin's sign-in before it
  looks at the address, so the redirect says nothing of what exists; staff without a model's
  permission (the 系统管理员 on a read-only model's add or change form) gets 403 on a model whose
  list it reads. 404 is as good in both cases; never a 2xx to someone refused, never a write.

A route without an entry in ROUTES fails the test, so a new page or endpoint is classified when it is
added. The demo data (seed_demo) gives the objects; the few kinds it has none of are created here.

The demo is seeded once for the module (in a transaction rolled back at its end); one test per group
of routes (an app's pages, the API, the admin), all on one xdist worker so that the seed is paid
once. Each probe runs in a savepoint rolled back afterwards. Every allowed GET renders its page (a
HEAD would not prove the page works: views differ). The counts (routes, probes, outcomes) and the
CPU seconds are printed at the end of the module for the note: run with `-s`, e.g.
`.venv/bin/python -m pytest -n 0 -q -s tests/core/test_access_matrix.py`.
ACCESS_MATRIX_ONLY=<regex of URL names> probes some routes; ACCESS_MATRIX_GRID=<file> writes every
answer of every route (the classified and the others) for a survey.
"""

import collections
import io
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.matrix]

PERSONAS = [
    "anonymous",
    "publisher",  # 王建国, publisher of 宁波市轨道交通集团 (own SOE)
    "publisher_other",  # 柳建平, publisher of 宁波通商控股集团 (foreign SOE)
    "soe_judge",  # employed by 宁波市轨道交通集团, only role 评审专家 (the finding's case)
    "soe_member",  # employed by 宁波市轨道交通集团, no role
    "company",  # 陈晓峰, company user (organisation admin) of 宁波甬视智能科技 (own company)
    "company_other",  # 刘洋, company user of 宁波海智物联网技术 (foreign company)
    "company_member",  # employed by 宁波甬视智能科技, no role
    "association",
    "judge",  # 周立新, the demo's judge (宁波大学)
    "operator",
    "official",  # 张卫东, official of 国资委 (a programme unit)
    "auditor",
    "sysadmin",
]
SIGNED_IN = frozenset(PERSONAS) - {"anonymous"}
EVERYONE = frozenset(PERSONAS)
NOBODY = frozenset()


def who(*names) -> frozenset:
    return frozenset(names)


OP = who("operator")
OVERSEE = who("operator", "official")
PUB = who("publisher")
COMP = who("company")
ASSOC = who("association")
JUDGE = who("judge")
# People who act for an organisation under some role: what 本机构-style pages need.
WORKING = who("publisher", "publisher_other", "company", "company_other", "association", "operator", "official")
MEMBERS = WORKING | who("soe_judge", "soe_member", "company_member", "judge")  # anyone with an organisation


@dataclass(frozen=True)
class Route:
    """Who may open it (GET) and who may act on it (POST); `args` fills the address's arguments with
    the own object (world -> kwargs). `sent_to`: a step of a flow none of the personas is in (the
    second factor of a sign-in in progress): everyone is sent to the flow's start, whatever the
    method, and nothing is written."""

    get: frozenset = NOBODY
    post: frozenset | None = None  # None: the same as get
    args: object = None
    sent_to: str = ""

    @property
    def posters(self) -> frozenset:
        return self.get if self.post is None else self.post


def page(get, post=None, args=None):
    return Route(frozenset(get), None if post is None else frozenset(post), args)


def action(post, args=None):
    """An action address: a form posts to it; a GET is not found for anyone (core.permissions.post_only)."""
    return Route(NOBODY, frozenset(post), args)


def pk(attribute):
    return lambda w: {"pk": getattr(w, attribute)}


# ---- the table ---------------------------------------------------------------------------------
# Keys are URL names ("namespace:name"). Reviewed against DESIGN.md and README "who does what".

ROUTES: dict[str, Route] = {
    "public-home": page(EVERYONE),
    "set_language": page(EVERYONE),
    # accounts: signing in and out, registration, passwords
    "accounts:login": page(EVERYONE),
    "accounts:login-verify": Route(sent_to="/accounts/login/"),  # after the password, before the code
    "accounts:login-setup": page(SIGNED_IN),  # signing in: only after the password (else sent to sign in)
    "accounts:logout": action(EVERYONE),
    "accounts:security": page(SIGNED_IN),
    "accounts:totp-setup": page(SIGNED_IN),
    "accounts:password-change": page(SIGNED_IN),
    "accounts:register": page(EVERYONE),
    "accounts:register-done": page(EVERYONE),
    "accounts:confirm-email": page(EVERYONE, args=lambda w: {"token": "not-a-token"}),
    "accounts:accept-invitation": page(EVERYONE, args=lambda w: {"token": w.invitation_token}),
    "accounts:password_reset": page(EVERYONE),
    "accounts:password_reset_done": page(EVERYONE),
    "accounts:password_reset_confirm": page(EVERYONE, args=lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "accounts:password_reset_complete": page(EVERYONE),
    "accounts:home": page(SIGNED_IN),
    "accounts:role-home": page(who("publisher", "publisher_other"), args=lambda w: {"role": "publisher"}),
    "accounts:my-organisation": page(MEMBERS, post=who("publisher", "company", "association")),
    # The organisations' admins; theirs are verified, so they are told there is nothing to ask again.
    "accounts:request-reverification": action(who("publisher", "company", "association")),
    "accounts:verification-evidence-upload": action(NOBODY),  # verified: no more files
    "accounts:verification-evidence": page(who("company", "operator"), post=NOBODY),
    "accounts:verification-evidence-remove": action(NOBODY),
    "accounts:invitation-revoke": action(COMP),  # the organisation's admin
    "accounts:operator-organisations": page(OP),
    "accounts:operator-organisation-export": action(OP),
    "accounts:operator-organisation-detail": page(OP, args=pk("company_org")),
    "accounts:operator-account-create": page(OP),
    "accounts:operator-locked-accounts": page(OP),
    "accounts:operator-account-unlock": action(OP, args=pk("company_user")),
    "accounts:audit-log": page(who("auditor")),
    "accounts:audit-detail": page(who("auditor"), args=pk("audit_record")),
    "accounts:audit-export": page(who("auditor"), post=NOBODY),
    # core: notifications and jobs (each person's own)
    "core:notifications": page(SIGNED_IN),
    "core:notifications-read-all": action(SIGNED_IN),
    "core:notification-open": action(PUB, args=pk("notification")),
    "core:jobs": page(SIGNED_IN),
    "core:job-detail": page(OP, args=pk("job")),
    "core:job-status": page(OP, args=pk("job")),
    "core:job-download": page(OP, args=pk("report_build")),  # a job with its file
    # ---- generated from the survey, reviewed (see the module docstring) ----
    "api-docs": page(SIGNED_IN, post=NOBODY),
    "api-schema": page(SIGNED_IN, post=NOBODY),
    "capability_list:action": action(who("company", "operator")),
    "capability_list:change-action": page(NOBODY),
    "capability_list:change-edit": page(NOBODY),
    "capability_list:change-review": page(who("operator")),
    "capability_list:create": page(who("association", "company", "company_other")),
    "capability_list:detail": page(who("company", "operator")),
    "capability_list:edit": page(who("company")),
    "capability_list:edition-download": page(EVERYONE, post=NOBODY),  # a published edition
    "capability_list:edition-publish": action(who("operator")),
    "capability_list:editions": page(EVERYONE),
    "capability_list:enquiries": page(who("company", "company_other", "operator", "publisher", "publisher_other")),
    "capability_list:enquiry-create": page(who("company", "company_other")),
    "capability_list:enquiry-detail": page(who("company", "operator", "publisher")),
    "capability_list:event-create": page(who("operator")),
    "capability_list:event-detail": page(who("company", "operator"), post=who("operator")),
    "capability_list:events": page(
        who("publisher", "publisher_other", "company", "company_other", "operator"), post=NOBODY
    ),  # not the 三员, officials, judges or members without a role
    "capability_list:evidence-download": page(who("company", "operator"), post=NOBODY),
    "capability_list:evidence-remove": action(COMP),
    "capability_list:evidence-upload": page(COMP),
    "capability_list:import": page(who("association", "operator")),
    "capability_list:import-detail": page(ASSOC),  # its uploader's
    "capability_list:import-rejects": page(ASSOC, post=NOBODY),
    "capability_list:import-template": page(EVERYONE),
    "capability_list:list": page(EVERYONE),
    "capability_list:mine": page(who("association", "company", "company_other")),
    "capability_list:review": action(who("operator")),
    "capability_list:review-queue": page(who("operator")),
    "contests:awards": page(who("operator")),
    "contests:challenge-create": page(who("publisher", "publisher_other")),
    "contests:challenge-follow": page(who("official", "operator", "publisher")),
    "contests:cooperation": page(who("company_other", "operator", "publisher"), post=NOBODY),
    "contests:create": page(who("operator")),
    "contests:detail": page(EVERYONE),
    "contests:eligibility-queue": page(who("operator")),
    "contests:eligibility-rules": action(who("operator")),
    "contests:entry-attachment": action(who("company", "operator")),
    "contests:entry-attachment-download": page(who("company", "judge", "operator"), post=NOBODY),
    "contests:entry-create": page(who("company", "company_other")),
    "contests:entry-detail": page(who("company", "operator")),
    "contests:entry-eligibility": action(who("operator")),
    "contests:judge-home": page(who("judge", "soe_judge")),
    "contests:judge-profile": page(who("judge", "soe_judge")),
    "contests:list": page(EVERYONE),
    "contests:live": page(EVERYONE),
    "contests:my-entries": page(who("company", "company_other")),
    "contests:notice": page(EVERYONE, post=SIGNED_IN),
    "contests:open-challenges": page(EVERYONE),
    "contests:panel": page(who("operator")),
    "contests:ranking": page(who("judge", "operator"), post=NOBODY),
    "contests:reschedule": page(who("operator")),
    "contests:rubric": page(who("operator")),
    "contests:running-order": action(who("operator")),
    "contests:score-sheet": page(who("judge")),
    "evaluation:case-decide": page(NOBODY),
    "evaluation:case-detail": page(EVERYONE),
    "evaluation:case-list": page(EVERYONE),
    "evaluation:case-queue": page(who("operator")),
    "evaluation:case-replicate": page(
        who("association", "company", "company_other", "official", "publisher", "publisher_other")
    ),
    "evaluation:case-supplement": page(who("operator")),
    "evaluation:consensus": page(NOBODY),
    "evaluation:evidence-download": page(who("company_other", "judge", "operator", "publisher")),
    "evaluation:finding": page(who("company_other", "official", "operator"), post=NOBODY),
    "evaluation:findings": page(who("operator")),
    "evaluation:framework-detail": page(who("company_other", "judge", "operator", "publisher", "soe_judge")),
    "evaluation:framework-diff": page(who("company_other", "judge", "operator", "publisher", "soe_judge")),
    "evaluation:framework-edit": page(who("operator")),
    "evaluation:framework-list": page(who("company_other", "judge", "operator", "publisher", "soe_judge")),
    "evaluation:framework-new": action(who("operator")),
    "evaluation:framework-new-version": action(who("operator")),
    "evaluation:hub": page(who("operator")),
    "evaluation:my-evaluations": page(who("judge", "soe_judge")),
    "evaluation:nomination-rule": page(who("operator")),
    "evaluation:published": page(who("official", "operator")),
    "evaluation:rectification": page(
        who("association", "company", "company_other", "official", "publisher", "publisher_other")
    ),
    "evaluation:replication-evidence": page(who("operator")),
    "evaluation:replication-queue": page(who("operator")),
    "evaluation:report": page(who("company_other", "official", "operator", "publisher"), post=NOBODY),
    "evaluation:report-download": page(who("company_other", "official", "operator", "publisher"), post=NOBODY),
    "evaluation:result": page(who("company_other", "judge", "official", "operator", "publisher"), post=who("operator")),
    "evaluation:round-commitment": page(who("judge")),
    "evaluation:round-create": page(who("operator")),
    "evaluation:round-detail": page(who("operator")),
    "evaluation:round-list": page(who("operator")),
    "evaluation:self-assessment": page(who("company_other", "publisher")),
    "evaluation:self-assessment-list": page(
        who("association", "company", "company_other", "official", "publisher", "publisher_other")
    ),
    "evaluation:sheet": page(who("judge")),
    "evaluation:sheet-reopen": action(who("operator")),
    "evaluation:subject-figures": page(who("operator"), post=NOBODY),
    "evaluation:subject-material": page(who("judge")),
    "evaluation:tolerance-detail": page(who("operator", "publisher")),
    "evaluation:tolerance-list": page(who("operator", "publisher", "publisher_other"), post=who("operator")),
    "evaluation:tolerance-mine": page(who("operator", "publisher", "publisher_other"), post=who("operator")),
    "matching:affinities": page(who("operator"), post=NOBODY),
    "matching:matches": page(who("operator"), post=NOBODY),
    "matching:recommendations": page(who("company", "company_other"), post=NOBODY),
    "matching:scenario-supplier-enquiry": page(who("publisher")),
    "matching:scenario-suppliers": page(who("operator", "publisher"), post=NOBODY),
    "scenarios:attachment-add": action(who("operator", "publisher")),
    "scenarios:attachment-download": page(who("publisher", "operator"), post=NOBODY),
    "scenarios:attachment-remove": action(who("publisher", "operator")),
    "scenarios:catalogue": page(EVERYONE),
    "scenarios:create": page(who("publisher", "publisher_other")),
    "scenarios:detail": page(who("operator", "publisher")),
    "scenarios:domain-create": page(who("operator")),
    "scenarios:domain-edit": page(who("operator")),
    "scenarios:domains": page(who("operator")),
    "scenarios:edit": page(who("publisher")),
    "scenarios:export": page(EVERYONE),
    "scenarios:instrument-request": action(PUB),
    "scenarios:instrument-request-answer": action(OP),  # or the instrument's institute
    "scenarios:mine": page(who("publisher", "publisher_other")),
    "scenarios:review-queue": page(who("operator")),
    "scenarios:transition": action(who("operator", "publisher")),
    "scenarios:validate": action(who("publisher", "publisher_other")),
    "steering:assessment-credit": page(who("official", "operator"), post=NOBODY),
    "steering:assessment-credit-export": page(who("official", "operator"), post=NOBODY),
    "steering:assessment-records": page(NOBODY),
    "steering:assessment-scheme": page(who("official", "operator"), post=who("operator")),
    "steering:assessment-scorecard": page(who("official", "operator"), post=NOBODY),
    "steering:assessment-scorecard-export": page(who("official", "operator"), post=NOBODY),
    "steering:cockpit": page(who("official", "operator"), post=NOBODY),
    "steering:cockpit-drill": page(NOBODY),
    "steering:high-growth-import": page(who("operator")),
    "steering:high-growth-imports": page(who("operator")),
    "steering:high-growth-template": page(who("operator"), post=NOBODY),
    "steering:open-data-cases-csv": page(EVERYONE, post=NOBODY),
    "steering:open-data-cases-json": page(EVERYONE, post=NOBODY),
    "steering:open-data-targets-csv": page(EVERYONE, post=NOBODY),
    "steering:open-data-targets-json": page(EVERYONE, post=NOBODY),
    "steering:product-use-create": page(who("operator", "publisher", "publisher_other")),
    "steering:product-use-detail": page(who("official", "operator", "publisher"), post=who("operator")),
    "steering:product-use-evidence": page(who("official", "operator", "publisher"), post=NOBODY),
    "steering:product-use-from-agreement": page(who("operator", "publisher", "publisher_other")),
    "steering:product-use-list": page(who("official", "operator", "publisher", "publisher_other"), post=NOBODY),
    "steering:product-use-queue": page(who("operator")),
    "steering:programme-attachment": page(OVERSEE, post=NOBODY),
    "steering:programme-cycle": page(who("official", "operator"), post=who("operator")),
    "steering:programme-cycles": page(who("official", "operator"), post=who("operator")),
    "steering:programme-mine": page(who("official"), post=NOBODY),
    "steering:programme-notice": page(who("operator")),
    "steering:programme-notices": page(who("official", "operator"), post=NOBODY),
    "steering:programme-report": page(who("official", "operator")),
    "steering:programme-review": page(who("operator"), post=NOBODY),
    "steering:programme-task": page(who("official", "operator"), post=who("operator")),
    "steering:programme-tasks": page(who("official", "operator"), post=NOBODY),
    "steering:programme-units": page(who("operator")),
    "steering:report-download": page(OVERSEE, post=NOBODY),
    "steering:reports": page(who("official", "operator"), post=NOBODY),
    "steering:target-archive": action(who("operator")),
    "steering:target-create": page(who("operator")),
    "steering:target-detail": page(who("official", "operator"), post=NOBODY),
    "steering:target-edit": page(who("operator")),
    "steering:target-list": page(who("official", "operator"), post=NOBODY),
    # ---- the API (/api/v1/): reviewed against DESIGN.md and the apps' permissions.py ----
    # A list scoped to the person (their own records, none for most) is open to everyone signed in:
    # an empty list reveals nothing. An address naming an object answers 404 to whoever may not see
    # it; an action that is not theirs on an object they see answers 403 (config.api_errors).
    "v1:api-root": page(SIGNED_IN, post=NOBODY),
    "v1:me": page(SIGNED_IN, post=NOBODY),
    "v1:auth-token": action(EVERYONE),  # a name and password for a token
    "v1:district-list": page(SIGNED_IN, post=NOBODY),
    "v1:district-detail": page(SIGNED_IN, post=NOBODY),
    "v1:organisation-list": page(SIGNED_IN, post=NOBODY),
    "v1:organisation-detail": page(who("company", "company_member", "operator", "official"), post=NOBODY),
    "v1:organisation-verify": action(OP),
    "v1:organisation-reject": action(OP),
    "v1:notification-list": page(SIGNED_IN, post=NOBODY),
    "v1:notification-detail": page(PUB, post=NOBODY),
    "v1:notification-unread-count": page(SIGNED_IN, post=NOBODY),
    "v1:notification-mark-read": action(SIGNED_IN),
    "v1:job-list": page(SIGNED_IN),  # anyone may export the public scenario catalogue
    "v1:job-detail": page(OP, post=NOBODY),
    "v1:audit-record-list": page(who("auditor"), post=NOBODY),
    "v1:audit-record-detail": page(who("auditor"), post=NOBODY),
    "v1:scenario-list": page(EVERYONE, post=who("publisher", "publisher_other")),
    "v1:scenario-detail": page(who("publisher", "operator"), post=NOBODY),  # a draft
    "v1:scenario-submit": action(PUB),
    "v1:scenario-withdraw": action(PUB),
    "v1:scenario-reopen": action(PUB),
    "v1:scenario-approve": action(OP),
    "v1:scenario-reject": action(OP),
    "v1:scenario-publish": action(OP),
    "v1:scenario-close": action(OP),
    "v1:scenario-mark-demonstrated": action(OP),
    "v1:scenario-mark-matched": action(who("publisher", "operator")),
    "v1:scenario-start-implementation": action(who("publisher", "operator")),
    "v1:domain-list": page(EVERYONE, post=OP),
    "v1:domain-detail": page(EVERYONE, post=NOBODY),
    "v1:zone-list": page(EVERYONE, post=OP),
    "v1:zone-detail": page(EVERYONE, post=NOBODY),
    "v1:instrument-list": page(EVERYONE, post=OP),  # and an institute's publisher (no persona here)
    "v1:instrument-detail": page(EVERYONE, post=NOBODY),
    "v1:capability-list": page(EVERYONE, post=who("company", "company_other", "association")),
    "v1:capability-detail": page(who("company", "operator"), post=NOBODY),  # not yet listed
    "v1:capability-submit": action(COMP),
    "v1:capability-withdraw": action(COMP),
    "v1:capability-review": action(OP),
    "v1:industry-list": page(EVERYONE, post=NOBODY),
    "v1:industry-detail": page(EVERYONE, post=NOBODY),
    "v1:strategic-area-list": page(EVERYONE, post=NOBODY),
    "v1:strategic-area-detail": page(EVERYONE, post=NOBODY),
    "v1:enquiry-list": page(SIGNED_IN, post=who("company", "company_other")),
    "v1:enquiry-detail": page(who("publisher", "company", "operator"), post=NOBODY),
    "v1:enquiry-answer": action(PUB),  # the addressee
    "v1:enquiry-rate": action(COMP),  # the asker
    "v1:event-list": page(who("publisher", "publisher_other", "company", "company_other", "operator"), post=OP),
    "v1:event-detail": page(who("company", "operator"), post=NOBODY),
    "v1:event-agenda-add": action(OP),
    "v1:event-agenda-record": action(OP),
    "v1:match-list": page(SIGNED_IN, post=NOBODY),
    "v1:match-detail": page(who("publisher", "operator"), post=NOBODY),
    "v1:match-answer": action(PUB),  # the scenario's side; an operator answers for no side
    "v1:contest-list": page(EVERYONE, post=OP),
    "v1:contest-detail": page(EVERYONE, post=NOBODY),
    "v1:contest-reschedule": action(OP),
    "v1:challenge-list": page(EVERYONE, post=who("publisher", "publisher_other")),
    "v1:challenge-detail": page(EVERYONE, post=NOBODY),
    "v1:challenge-panel": page(OP, post=NOBODY),
    "v1:challenge-suggestions": page(OP, post=NOBODY),
    "v1:challenge-assign": action(OP),
    "v1:entry-list": page(SIGNED_IN, post=who("company", "company_other")),
    "v1:entry-detail": page(who("company", "judge", "operator"), post=NOBODY),
    "v1:entry-submit": action(COMP),
    "v1:entry-consortium": action(NOBODY),  # the invited members answer; the entry's are none of these
    "v1:entry-eligibility": action(OP),
    "v1:entry-credit-check": action(OP),
    "v1:judge-list": page(SIGNED_IN, post=NOBODY),
    "v1:judge-detail": page(who("judge", "operator"), post=NOBODY),
    "v1:judge-relationships": page(who("judge", "operator")),
    "v1:rubric-detail": page(EVERYONE, post=NOBODY),
    "v1:score-sheet-list": page(SIGNED_IN, post=who("judge", "soe_judge")),
    "v1:score-sheet-detail": page(who("judge", "operator"), post=NOBODY),
    "v1:score-sheet-reopen": action(JUDGE),  # the panel's chair
    "v1:ranking-detail": page(who("judge", "operator"), post=NOBODY),
    "v1:ranking-lock": action(JUDGE),  # the chair
    "v1:ranking-unlock": action(JUDGE),
    "v1:ranking-tie-decision": action(OP),
    "v1:notice-detail": page(EVERYONE, post=NOBODY),
    "v1:objection-list": page(SIGNED_IN, post=SIGNED_IN - who("soe_member", "company_member", "auditor", "sysadmin")),
    "v1:objection-detail": page(OP, post=NOBODY),
    "v1:objection-answer": action(OP),
    "v1:award-list": page(SIGNED_IN, post=OP),
    "v1:award-detail": page(OVERSEE, post=NOBODY),
    "v1:award-withdraw": action(OP),
    "v1:agreement-list": page(SIGNED_IN, post=OP),
    "v1:agreement-detail": page(who("publisher", "company_other", "operator", "official"), post=NOBODY),
    "v1:agreement-reports": page(
        who("publisher", "company_other", "operator", "official"), post=who("publisher", "company_other", "operator")
    ),
    "v1:benefit-list": page(SIGNED_IN, post=OP),
    "v1:benefit-detail": page(who("publisher", "company_other", "operator", "official"), post=NOBODY),
    "v1:evaluation-framework-list": page(SIGNED_IN, post=NOBODY),
    "v1:evaluation-framework-detail": page(
        who("publisher", "soe_judge", "company_other", "judge", "operator"), post=NOBODY
    ),
    "v1:evaluation-framework-publish": action(OP),
    "v1:evaluation-framework-new-version": action(OP),
    "v1:evaluation-round-list": page(SIGNED_IN, post=OP),
    "v1:evaluation-round-detail": page(who("judge", "operator"), post=NOBODY),
    "v1:evaluation-sheet-list": page(SIGNED_IN, post=NOBODY),
    "v1:evaluation-sheet-detail": page(JUDGE, post=NOBODY),
    "v1:evaluation-sheet-save": action(who("judge", "soe_judge")),
    "v1:evaluation-sheet-submit": action(who("judge", "soe_judge")),
    "v1:evaluation-sheet-reopen": action(OP),  # or the round's lead
    "v1:evaluation-result-list": page(SIGNED_IN, post=NOBODY),
    "v1:evaluation-result-detail": page(
        who("publisher", "company_other", "judge", "operator", "official"), post=NOBODY
    ),
    "v1:evaluation-finding-list": page(SIGNED_IN, post=NOBODY),
    "v1:evaluation-finding-detail": page(who("company_other", "operator", "official"), post=NOBODY),
    "v1:evaluation-finding-progress": action(who("company_other")),  # the finding's organisation
    "v1:evaluation-finding-submit": action(who("company_other")),
    "v1:evaluation-finding-verify": action(OP),
    "v1:evaluation-finding-return-": action(OP),
    "v1:typical-case-list": page(EVERYONE, post=NOBODY),
    "v1:typical-case-detail": page(EVERYONE, post=NOBODY),
    "v1:typical-case-decide": action(OP),
    "v1:replication-list": page(
        SIGNED_IN, post=who("publisher", "publisher_other", "company", "company_other", "association", "official")
    ),
    "v1:replication-detail": page(OP, post=NOBODY),
    "v1:replication-verify": action(OP),
    "v1:tolerance-period-list": page(SIGNED_IN, post=OP),
    "v1:tolerance-period-detail": page(who("publisher", "operator"), post=NOBODY),
    "v1:tolerance-period-checkpoint-add": action(who("publisher", "operator")),
    "v1:tolerance-period-checkpoint-complete": action(who("publisher", "operator")),
    "v1:tolerance-period-incident-record": action(who("publisher", "operator")),
    "v1:tolerance-period-extension-request": action(who("publisher", "operator")),
    "v1:tolerance-period-incident-decide": action(OP),
    "v1:tolerance-period-extension-decide": action(OP),
    "v1:tolerance-period-end": action(OP),
    "v1:target-list": page(OVERSEE, post=NOBODY),
    "v1:target-detail": page(OVERSEE, post=NOBODY),
    "v1:target-series": page(OVERSEE, post=NOBODY),
    "v1:target-contributors": page(OVERSEE, post=NOBODY),
    "v1:programme-task-list": page(OVERSEE, post=NOBODY),
    "v1:reporting-cycle-list": page(OVERSEE, post=NOBODY),
    "v1:reporting-cycle-detail": page(OVERSEE, post=NOBODY),
    "v1:unit-report-list": page(OVERSEE, post=NOBODY),
    "v1:unit-report-detail": page(OVERSEE, post=NOBODY),
    "v1:unit-report-submit": action(who("official")),  # the unit's own staff
    "v1:unit-report-accept": action(OP),
    "v1:unit-report-return-": action(OP),
    "v1:assessment-scorecard-list": page(OVERSEE, post=NOBODY),
    "v1:company-credit-list": page(OVERSEE, post=NOBODY),
    "v1:product-use-list": page(SIGNED_IN, post=who("publisher", "publisher_other", "operator")),
    "v1:product-use-detail": page(who("publisher", "operator", "official"), post=NOBODY),
    "v1:product-use-from-agreement": action(who("publisher", "publisher_other", "operator")),
    "v1:product-use-verify": action(OP),
    "v1:cockpit-chart": page(OVERSEE, post=NOBODY),
}


# The own object behind an address's arguments, by the address's first words (routes whose entry in
# ROUTES gives no `args`). An attribute of World; `missing` where the demo has no such record.
OBJECTS = [
    ("scenarios/<int:pk>/attachments/<int:attachment_pk>", {"pk": "scenario", "attachment_pk": "scenario_attachment"}),
    ("scenarios/<int:pk>/instruments/<int:request_pk>", {"pk": "scenario", "request_pk": "instrument_request"}),
    ("scenarios/<int:pk>/suppliers/<int:match_pk>", {"pk": "published_scenario", "match_pk": "match"}),
    ("scenarios/<int:pk>/suppliers", {"pk": "published_scenario"}),
    ("scenarios/domains", {"pk": "domain"}),
    ("scenarios/", {"pk": "scenario"}),
    ("capabilities/changes", {"pk": "revision"}),
    ("capabilities/evidence", {"pk": "credential_evidence"}),
    ("capabilities/import", {"pk": "import_batch"}),
    ("capabilities/editions", {"pk": "edition"}),
    ("capabilities/", {"pk": "entry"}),
    ("enquiries/", {"pk": "enquiry"}),
    ("events/", {"pk": "event"}),
    ("contests/", {"pk": "contest"}),
    ("challenges/", {"pk": "challenge"}),
    ("entries/<int:pk>/cooperation", {"pk": "awarded_entry"}),
    ("entries/<int:pk>/attachments/<int:attachment_pk>", {"pk": "contest_entry", "attachment_pk": "entry_attachment"}),
    ("entries/", {"pk": "contest_entry"}),
    ("judging/entries", {"pk": "scored_entry"}),
    ("jobs/", {"pk": "job"}),
    ("notifications/", {"pk": "notification"}),
    ("evaluation/frameworks", {"pk": "framework"}),
    ("evaluation/rounds", {"pk": "evaluation_round"}),
    ("evaluation/mine/rounds", {"pk": "evaluation_round"}),
    ("evaluation/mine/sheets", {"pk": "evaluation_sheet"}),
    ("evaluation/evidence", {"pk": "evidence_file"}),
    ("evaluation/findings", {"pk": "finding"}),
    ("evaluation/", {"pk": "subject"}),
    ("cases/", {"pk": "case"}),
    ("replications/", {"pk": "replication"}),
    ("tolerance/", {"pk": "tolerance_period"}),
    ("steering/targets/edit", {"pk": "target"}),
    ("steering/targets/", {"metric": "metric"}),
    ("steering/high-growth", {"pk": "high_growth_import"}),
    ("steering/programme/reports", {"pk": "unit_report"}),
    ("steering/programme/attachments", {"pk": "report_attachment"}),
    ("steering/programme/cycles", {"pk": "cycle"}),
    ("steering/programme/tasks", {"code": "task_code"}),
    ("steering/programme/notices", {"pk": "notice"}),
    ("steering/product-uses", {"pk": "product_use"}),
    ("steering/reports", {"pk": "report_build"}),
    ("steering/assessment/<str:year>/records", {"year": "year", "pk": "soe_org", "code": "assessment_code"}),
    ("steering/assessment", {"year": "year"}),
    ("steering/drill", {"code": "drill_code"}),
    ("api/v1/cockpit", {"code": "chart_code"}),
    ("operator/organisations", {"pk": "company_org"}),
    ("operator/accounts", {"pk": "company_user"}),
    ("audit/", {"pk": "audit_record"}),
    ("organisation/evidence", {"pk": "verification_evidence"}),
    ("organisation/invitations", {"pk": "invitation"}),
    ("api/v1/^scenarios", {"pk": "scenario"}),
    ("api/v1/^capabilities", {"pk": "entry"}),
    ("api/v1/^enquiries", {"pk": "enquiry"}),
    ("api/v1/^events", {"pk": "event"}),
    ("api/v1/^matches", {"pk": "match"}),
    ("api/v1/^contests", {"pk": "contest"}),
    ("api/v1/^challenges", {"pk": "challenge"}),
    ("api/v1/^entries", {"pk": "contest_entry"}),
    ("api/v1/^judges", {"pk": "judge_user"}),
    ("api/v1/^rubrics", {"pk": "contest"}),
    ("api/v1/^score-sheets", {"pk": "score_sheet"}),
    ("api/v1/^rankings", {"pk": "challenge"}),
    ("api/v1/^notices", {"pk": "contest"}),
    ("api/v1/^objections", {"pk": "objection"}),
    ("api/v1/^awards", {"pk": "award"}),
    ("api/v1/^agreements", {"pk": "agreement"}),
    ("api/v1/^benefits", {"pk": "benefit"}),
    ("api/v1/^evaluation-frameworks", {"pk": "framework"}),
    ("api/v1/^evaluation-rounds", {"pk": "evaluation_round"}),
    ("api/v1/^evaluation-sheets", {"pk": "evaluation_sheet"}),
    ("api/v1/^evaluation-results", {"pk": "subject"}),
    ("api/v1/^evaluation-findings", {"pk": "finding"}),
    ("api/v1/^typical-cases", {"pk": "case"}),
    ("api/v1/^replications", {"pk": "replication"}),
    ("api/v1/^tolerance-periods", {"pk": "tolerance_period"}),
    ("api/v1/^targets", {"metric": "metric"}),
    ("api/v1/^reporting-cycles", {"pk": "cycle"}),
    ("api/v1/^unit-reports", {"pk": "unit_report"}),
    ("api/v1/^product-uses", {"pk": "product_use"}),
    ("api/v1/^organisations", {"pk": "company_org"}),
    ("api/v1/^notifications", {"pk": "notification"}),
    ("api/v1/^jobs", {"pk": "job"}),
    ("api/v1/^audit-records", {"pk": "audit_record"}),
    ("api/v1/^domains", {"pk": "domain"}),
    ("api/v1/^zones", {"pk": "zone"}),
    ("api/v1/^instruments", {"pk": "instrument"}),
    ("api/v1/^districts", {"code": "district_code"}),
    ("api/v1/^industries", {"code": "industry_code"}),
    ("api/v1/^strategic-areas", {"code": "area_code"}),
]


def object_arguments(world, route: str) -> dict:
    for prefix, arguments in OBJECTS:
        if route.startswith(prefix):
            return {name: getattr(world, attribute) for name, attribute in arguments.items()}
    return {}


# ---- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    users: dict = field(default_factory=dict)
    missing: int = 10**9  # an id no row has: the route is probed, but nobody can use it


def build_world() -> World:
    from accounts.models import User
    from core.models import AuditRecord, Job, Notification
    from tests.factories.accounts import UserFactory

    world = World()
    usernames = {
        "publisher": "publisher",
        "publisher_other": "publisher_tongshang",
        "company": "company",
        "company_other": "company_haizhi",
        "association": "association",
        "judge": "judge",
        "operator": "operator",
        "official": "official",
        "auditor": "auditor",
        "sysadmin": "sysadmin",
    }
    # The demo's passwords were set by the seeding script: the portal would first ask for a new one.
    User.objects.filter(username__in=usernames.values()).update(password_change_required=False)
    for persona, username in usernames.items():
        world.users[persona] = User.objects.select_related("organisation").get(username=username)
    soe = world.users["publisher"].organisation
    company = world.users["company"].organisation
    world.users["soe_judge"] = UserFactory(username="soe_judge", organisation=soe, roles=["judge"])
    world.users["soe_member"] = UserFactory(username="soe_member", organisation=soe, roles=[])
    world.users["company_member"] = UserFactory(username="company_member", organisation=company, roles=[])
    world.soe_org, world.company_org = soe.pk, company.pk
    world.company_user = world.users["company"].pk
    world.audit_record = AuditRecord.objects.order_by("pk").first().pk
    world.notification = Notification.objects.filter(recipient=world.users["publisher"]).first().pk
    world.job = Job.objects.filter(requested_by=world.users["operator"]).first().pk

    from capability_list.models import (
        CapabilityEntry,
        CapabilityEntryRevision,
        Enquiry,
        Industry,
        MatchmakingEvent,
        StrategicArea,
    )
    from contests.models import (
        Award,
        Challenge,
        ContestEntry,
        CooperationAgreement,
        JudgeProfile,
        Objection,
        PolicyBenefit,
        ScoreSheet,
    )
    from evaluation.models import (
        EvaluationSheet,
        EvidenceFile,
        Finding,
        Framework,
        Replication,
        Subject,
        TolerancePeriod,
        TypicalCase,
    )
    from matching.models import Match
    from scenarios.models import DemonstrationZone, Domain, LabInstrument, Scenario
    from steering.models import HighGrowthImport, ProductUse, ReportingCycle, SupervisionNotice, Target, UnitReport

    def first(queryset, attribute="pk"):
        row = queryset.order_by("pk").first()
        return getattr(row, attribute) if row is not None else world.missing

    judge = world.users["judge"]
    world.scenario = first(Scenario.objects.filter(publisher=soe, status="draft"))
    world.published_scenario = first(Scenario.objects.filter(publisher=soe, status="published"))
    world.match = first(Match.objects.filter(scenario_id=world.published_scenario))
    world.domain = first(Domain.objects.all())
    world.entry = first(CapabilityEntry.objects.filter(company=company).exclude(status="listed"))
    world.revision = first(CapabilityEntryRevision.objects.filter(entry__company=company))
    world.enquiry = first(Enquiry.objects.filter(company=company, addressee=soe))
    world.event = first(MatchmakingEvent.objects.all())
    world.challenge = first(Challenge.objects.filter(scenario__publisher=soe))
    world.contest = first(Challenge.objects.filter(scenario__publisher=soe), "contest_id")
    world.contest_entry = first(ContestEntry.objects.filter(lead=company))
    world.awarded_entry = first(ContestEntry.objects.filter(award__isnull=False, challenge__scenario__publisher=soe))
    world.scored_entry = first(ScoreSheet.objects.filter(judge=judge), "entry_id")
    world.score_sheet = first(ScoreSheet.objects.filter(judge=judge))
    world.judge_profile = first(JudgeProfile.objects.filter(user=judge))
    world.objection = first(Objection.objects.all())
    world.award = first(Award.objects.all())
    world.agreement = first(CooperationAgreement.objects.all())
    world.benefit = first(PolicyBenefit.objects.all())
    world.framework = first(Framework.objects.all())
    world.subject = first(Subject.objects.filter(subject_organisations__organisation=soe))
    world.evaluation_round = first(Subject.objects.filter(pk=world.subject), "round_id")
    world.evaluation_sheet = first(EvaluationSheet.objects.filter(expert=judge))
    world.evidence_file = first(EvidenceFile.objects.filter(subject_id=world.subject))
    world.finding = first(Finding.objects.filter(subject_id=world.subject))
    world.case = first(TypicalCase.objects.all())
    world.replication = first(Replication.objects.all())
    world.tolerance_period = first(TolerancePeriod.objects.filter(scenario__publisher=soe))
    world.target = first(Target.objects.all())
    world.metric = first(Target.objects.all(), "metric")
    world.high_growth_import = first(HighGrowthImport.objects.all())
    world.unit_report = first(UnitReport.objects.filter(unit__organisation=world.users["official"].organisation))
    world.cycle = first(ReportingCycle.objects.all())
    world.task_code = 1
    world.notice = first(SupervisionNotice.objects.all())
    world.product_use = first(ProductUse.objects.filter(organisation=soe))
    world.year = 2025
    world.assessment_code = "soe_use"
    world.drill_code = "scenario_funnel"
    world.chart_code = "key-figures"
    world.judge_user = judge.pk
    world.zone = first(DemonstrationZone.objects.all())
    world.instrument = first(LabInstrument.objects.all())
    world.district_code = "haishu"
    world.industry_code = first(Industry.objects.all(), "code")
    world.area_code = first(StrategicArea.objects.all(), "code")
    _add_what_the_demo_lacks(world)
    return world


def _add_what_the_demo_lacks(world: World) -> None:
    """The demo has no records of these kinds: one each, owned as the demo's would be, so that their
    routes are probed with an object that exists (a stored file behind each download)."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.models import Invitation, VerificationEvidence
    from capability_list.models import CredentialEvidence, Edition, ImportBatch
    from contests.models import EntryAttachment
    from core.models import Job
    from evaluation.models import EvaluationRound
    from scenarios.models import InstrumentRequest, LabInstrument, ScenarioAttachment
    from steering.models import ReportAttachment
    from steering.selectors.reports import MONTHLY_REPORT_JOB

    users = world.users
    pdf = b"%PDF-1.4 access matrix"

    def stored(name):
        return ContentFile(pdf, name=name)

    world.scenario_attachment = ScenarioAttachment.objects.create(
        scenario_id=world.scenario,
        file=stored("方案.pdf"),
        original_name="方案.pdf",
        size=len(pdf),
        kind="pdf",
        uploaded_by=users["publisher"],
    ).pk
    world.instrument_request = InstrumentRequest.objects.create(
        scenario_id=world.scenario,
        instrument=LabInstrument.objects.order_by("pk").first(),
        purpose="样品检测",
        requested_by=users["publisher"],
    ).pk
    world.credential_evidence = CredentialEvidence.objects.create(
        entry_id=world.entry,
        credential_kind="first_set",
        certificate_number="NB-2026-001",
        file=stored("证书.pdf"),
        original_name="证书.pdf",
        size=len(pdf),
        kind="pdf",
        uploaded_by=users["company"],
    ).pk
    world.entry_attachment = EntryAttachment.objects.create(
        entry_id=world.contest_entry,
        file=stored("技术方案.pdf"),
        original_name="技术方案.pdf",
        size=len(pdf),
        kind="pdf",
        uploaded_by=users["company"],
    ).pk
    world.edition = Edition.objects.create(
        year=2026,
        batch=99,
        title="2026年第99批",
        state=Edition.State.PUBLISHED,
        workbook=stored("清单.xlsx"),
        created_by=users["operator"],
        published_at=timezone.now(),
    ).pk
    from capability_list.import_workbooks import template_workbook

    world.import_batch = ImportBatch.objects.create(
        file=ContentFile(template_workbook(), name="导入.xlsx"),
        original_name="导入.xlsx",
        sha256="0" * 64,
        uploaded_by=users["association"],
        organisation=users["association"].organisation,
        state=ImportBatch.State.CHECKED,
        total_rows=1,
        valid_rows=1,
        rejects_file=stored("退回.xlsx"),
    ).pk
    world.invitation_token = "matrix-invitation"
    world.invitation = Invitation.objects.create(
        organisation_id=world.company_org,
        email="colleague@example.com",
        roles=["company"],
        token=world.invitation_token,
        invited_by=users["company"],
        expires_at=timezone.now() + datetime.timedelta(days=7),
    ).pk
    world.verification_evidence = VerificationEvidence.objects.create(
        organisation_id=world.company_org,
        file=stored("营业执照.pdf"),
        original_name="营业执照.pdf",
        size=len(pdf),
        kind="pdf",
        uploaded_by=users["company"],
    ).pk
    world.report_attachment = ReportAttachment.objects.create(
        report_id=world.unit_report,
        file=stored("进展.pdf"),
        name="进展.pdf",
        uploaded_by=users["official"],
    ).pk
    round_report = Job.objects.create(
        kind="evaluation.round_report",
        title="评估报告",
        state="succeeded",
        result_file=stored("评估报告.xlsx"),
        result_name="评估报告.xlsx",
        requested_by=users["operator"],
    )
    EvaluationRound.objects.filter(pk=world.evaluation_round).update(report_job=round_report)
    world.report_build = Job.objects.create(
        kind=MONTHLY_REPORT_JOB,
        title="月度调度报告",
        state="succeeded",
        result_file=stored("调度报告.xlsx"),
        result_name="调度报告.xlsx",
        requested_by=users["operator"],
    ).pk


# ---- the routes ----------------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern.callback


def portal_routes() -> dict[str, str]:
    """{URL name: route} of every page and API route (the admin apart; one route per name, the API's
    format-suffix twins left out)."""
    routes = {}
    for route, name, _callback in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or "(?P<format>" in route or "<drf_format_suffix" in route:
            continue
        routes.setdefault(name, route)
    return routes


def api_methods() -> dict[str, frozenset]:
    """{URL name: the methods the API route serves} ("GET", "POST" …): a method it does not serve is
    answered 405 to whoever may see what the address names, 404 to anyone else (config.api_errors)."""
    methods = {}
    for route, name, callback in _walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/") or name in methods:
            continue
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        allowed = {method for method in view_class.http_method_names if method not in ("head", "options", "trace")}
        actions = getattr(callback, "actions", None)
        served = set(actions) & allowed if actions else {method for method in allowed if hasattr(view_class, method)}
        methods[name] = frozenset(method.upper() for method in served)
    return methods


LOOKUP = re.compile(r"^(.*?\(\?P<\w+>[^)]*\)/)")


def object_viewers(name: str, routes: dict[str, str]) -> frozenset | None:
    """For an API address naming an object (…/{id}/…), who may see that object: those who may GET its
    detail address (…/{id}/). None for an address naming no object (a list, a create)."""
    head = LOOKUP.match(routes[name])
    if head is None:
        return None
    detail = head.group(1) + "$"
    for other, route in routes.items():
        if route == detail and other in ROUTES:
            return ROUTES[other].get
    return None


def address(route: str, kwargs: dict) -> str:
    """The route with its arguments filled in: Django's <type:name> and DRF's (?P<name>…) groups."""
    path = route.replace("^", "").replace("$", "")
    # The API's groups first: "(?P<pk>…)" holds a "<pk>" that Django's pattern would take for its own.
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: str(kwargs[match.group(1)]), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(kwargs[match.group(1)]), path)
    return "/" + path.replace("\\.", ".")


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
NOT_DATA = ("django_session", "core_auditrecord", "accounts_signinattempt")


def writes(queries) -> list[str]:
    """The data statements a request ran (sessions, audit records of refusals and sign-in counters
    are not the portal's data)."""
    return [
        query["sql"][:120]
        for query in queries
        if WRITE.match(query["sql"]) and not any(table in query["sql"] for table in NOT_DATA)
    ]


def refused(persona: str, path: str, response, *, served: bool = True, sees_object: bool = False) -> bool:
    """The answer to someone who may not use the route: 404; signed out, sent to sign in (pages) or
    401/403 (the API). The API also answers 405 for a method the address does not serve (never to
    someone who may not see its object: that is a 404), and 403 for an action that is not theirs on
    an object they may see, or where the address names no object (`sees_object`)."""
    status = response.status_code
    if path.startswith(("/api/v1/", "/api/schema/")):
        if persona == "anonymous" and status in (401, 403):
            return True
        return status == 404 or (status == 405 and not served) or (status == 403 and served and sees_object)
    if persona == "anonymous":
        return status == 404 or (status == 302 and response["Location"].startswith("/accounts/login/"))
    return status == 404


ADMIN_PERSONAS = ("anonymous", "publisher", "operator", "auditor", "sysadmin")


def admin_routes(world) -> dict[str, tuple[str, Route]]:
    """The admin's pages: its index, and each registered model's list, add form and one object's
    change form. Only the 系统管理员 gets in (staff, its group's model permissions); a read-only
    model's add and change forms take no POST from it either (ReadOnlyAdmin answers 403: the page
    is visible, the change is not theirs)."""
    from django.contrib import admin
    from django.urls import reverse

    from core.admin import ReadOnlyAdmin

    sysadmin = who("sysadmin")
    routes = {"admin:index": (reverse("admin:index"), page(sysadmin, post=NOBODY))}
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        editable = not isinstance(model_admin, ReadOnlyAdmin)
        routes[f"{info}_changelist"] = (reverse(f"{info}_changelist"), page(sysadmin, post=NOBODY))
        routes[f"{info}_add"] = (reverse(f"{info}_add"), page(sysadmin if editable else NOBODY))
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            routes[f"{info}_change"] = (
                reverse(f"{info}_change", args=[row.pk]),
                page(sysadmin, post=sysadmin if editable else NOBODY),
            )
    return routes


def admin_refused(persona: str, response, *, staff: bool) -> bool:
    """The admin is a surface of its own (only the 系统管理员 works there, 三员分立): Django's admin
    sends whoever is not staff (signed out, or any other role) to the admin's sign-in before it
    looks at the address, so the redirect tells nothing of what exists; staff without the model
    permission (the 系统管理员 on a read-only model's add or change) gets 403 for a page whose list
    it may read. A 404 is as good in both cases. Never a 2xx (checked by the caller with writes)."""
    from django.urls import reverse

    status = response.status_code
    if status == 404:
        return True
    if staff:
        return status == 403
    return status == 302 and response["Location"].startswith(reverse("admin:login"))


def absent_objects(world) -> list[str]:
    return sorted(name for name, value in vars(world).items() if name != "missing" and value == world.missing)


def route_group(name: str) -> str:
    """The test a route is probed in: the admin, the API, or the pages of one app."""
    if name.startswith(("admin:", "v1:")):
        return name.split(":")[0]
    return name.split(":")[0] if ":" in name else "core"


GROUPS = ["accounts", "core", "scenarios", "capability_list", "matching", "contests", "evaluation", "steering"]
GROUPS += ["v1", "admin"]


class Matrix:
    """The seeded world, a signed-in client per persona, and the probes' tally (printed at the end of
    the module)."""

    def __init__(self, world: World):
        self.world = world
        self.routes = portal_routes()
        self.served_methods = api_methods()
        self.admin_routes = admin_routes(world)
        self.clients = {}
        for persona in PERSONAS:
            self.clients[persona] = Client()
            if persona != "anonymous":
                self.clients[persona].force_login(world.users[persona])
        self.outcomes = collections.Counter()
        self.grid = {}
        self.seconds = {}  # group: CPU seconds

    def probes(self, group: str) -> list[tuple[str, str, Route, tuple]]:
        survey = os.environ.get("ACCESS_MATRIX_GRID")
        only = re.compile(os.environ.get("ACCESS_MATRIX_ONLY", ""))  # a survey of some routes
        probes = []  # (name, path, rule, personas)
        if group == "admin":
            for name, (path, rule) in sorted(self.admin_routes.items()):
                if only.search(name):
                    probes.append((name, path, rule, ADMIN_PERSONAS))
            return probes
        for name in sorted(set(self.routes) if survey else set(self.routes) & set(ROUTES)):
            if route_group(name) != group or not only.search(name):
                continue
            rule = ROUTES.get(name, Route())
            kwargs = rule.args(self.world) if rule.args else object_arguments(self.world, self.routes[name])
            probes.append((name, address(self.routes[name], kwargs), rule, tuple(PERSONAS)))
        return probes

    def send(self, persona: str, method: str, path: str):
        """One request in a transaction that is rolled back, so no probe sees another's writes; the
        data statements it ran."""
        client = self.clients[persona]
        # The connection's log keeps the last 9,000 queries and is not reset while queries are being
        # captured: past that, a probe's slice of it would be empty and a write would go unseen.
        reset_queries()
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(path)
            elif path.startswith("/api/"):
                response = client.post(path, {}, content_type="application/json")
            else:
                response = client.post(path, {})
            transaction.set_rollback(True)
        session = response.cookies.get(settings.SESSION_COOKIE_NAME)
        if persona != "anonymous" and session is not None and not session.value:
            client.force_login(self.world.users[persona])  # signed out by the probe (logout)
        return response, writes(queries.captured_queries) if method == "POST" else []

    def run(self, group: str) -> list[str]:
        """Each persona GETs every route of the group; those who may not act on it also POST to it
        (an empty form, or `{}` to the API): an allowed POST with nothing in it proves nothing."""
        survey = os.environ.get("ACCESS_MATRIX_GRID")
        started = time.process_time()
        problems = []
        for name, path, rule, personas in self.probes(group):
            is_api, is_admin = path.startswith(("/api/v1/", "/api/schema/")), name.startswith("admin:")
            viewers = object_viewers(name, self.routes) if is_api else None
            for persona in personas:
                for method in ("GET", "POST"):
                    allowed = persona in (rule.get if method == "GET" else rule.posters)
                    if method == "POST" and allowed and not survey:
                        continue
                    response, written = self.send(persona, method, path)
                    status = response.status_code
                    self.grid.setdefault(name, (path, personas, {}))[2][(persona, method)] = status
                    served = method in self.served_methods.get(name, (method,))
                    sees_object = viewers is None or persona in viewers
                    probe = f"{method} {path} as {persona}"
                    if status >= 500:
                        outcome = "5xx"
                        problems.append(f"{probe}: {status}")
                    elif rule.sent_to:
                        outcome = "sent back"
                        if status != 302 or not response["Location"].startswith(rule.sent_to):
                            problems.append(f"{probe}: {status}, expected 302 to {rule.sent_to}")
                        if written:
                            problems.append(f"{probe} wrote: {written[:2]}")
                    elif allowed:
                        outcome = "allowed"
                        if status == 404 or (status == 302 and "/login/" in response["Location"]):
                            problems.append(f"{probe} (allowed): {status}")
                        elif (is_api or is_admin) and status in (401, 403, 405):
                            problems.append(f"{probe} (allowed): {status}")
                    elif method == "POST" and persona in rule.get:
                        # May see the page, may not act: no write, whatever the answer; the API refuses
                        # before it reads the payload (403, 404, or 405 where nobody may POST), never a
                        # 2xx and never a 400 that lists what it wants.
                        outcome = "forbidden action"
                        if written:
                            problems.append(f"{probe} (may only look) wrote: {written[:2]}")
                        elif is_api and status not in (403, 404, 405):
                            problems.append(f"{probe} (may only look): {status}, expected 403")
                    else:
                        outcome = "refused"
                        if is_admin:
                            staff = persona != "anonymous" and self.world.users[persona].is_staff
                            if not admin_refused(persona, response, staff=staff):
                                expected = "403/404" if staff else "302 to the admin's sign-in/404"
                                problems.append(f"{probe}: {status}, expected {expected}")
                        elif not refused(persona, path, response, served=served, sees_object=sees_object):
                            expected = "403/404" if is_api and served and sees_object else "404"
                            problems.append(f"{probe}: {status}, expected {expected}")
                        if written:
                            problems.append(f"{probe} wrote: {written[:2]}")
                    self.outcomes[(outcome, method, status)] += 1
        self.seconds[group] = time.process_time() - started
        return problems

    def report(self, seed_seconds: float) -> None:
        admin_pages = sum(1 for name in self.grid if name.startswith("admin:"))
        print(
            f"\naccess matrix: {len(self.routes)} portal routes × {len(PERSONAS)} personas, "
            f"{admin_pages} admin pages × {len(ADMIN_PERSONAS)} personas, {sum(self.outcomes.values())} probes"
        )
        groups = ", ".join(f"{group} {seconds:.0f}" for group, seconds in self.seconds.items())
        print(
            f"CPU seconds: seed_demo and world {seed_seconds:.0f}; probes {sum(self.seconds.values()):.0f} ({groups})"
        )
        for (outcome, method, status), count in sorted(self.outcomes.items()):
            print(f"  {outcome:>16} {method:<4} {status}: {count}")
        if survey := os.environ.get("ACCESS_MATRIX_GRID"):
            with open(survey, "w") as out:
                for name, (path, personas, cells) in sorted(self.grid.items()):
                    out.write(f"{name} {path}\n")
                    for method in ("GET", "POST"):
                        row = " ".join(f"{persona}={cells.get((persona, method), '-')}" for persona in personas)
                        out.write(f"  {method}: {row}\n")


@pytest.fixture(scope="module")
def matrix_media():
    directory = tempfile.mkdtemp(prefix="portal-matrix-media-")
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def _media_root(settings, matrix_media):
    """The world's stored files stay readable in every test of the module (tests/conftest.py gives
    each test a new directory otherwise)."""
    settings.MEDIA_ROOT = matrix_media
    return matrix_media


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, matrix_media):
    """The demo, seeded once for the module inside a transaction rolled back at its end; each test
    runs in a savepoint inside it and each probe in one more."""
    from tests.conftest import ensure_reference_data

    previous = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = matrix_media
    started = time.process_time()
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        call_command("seed_demo", stdout=io.StringIO())
        world = build_world()
        assert not absent_objects(world), f"the world has no {absent_objects(world)}"
        # The seed's services queue their tasks and mails with transaction.on_commit, which never
        # runs inside the test's transaction; Django scans that list on every savepoint rollback,
        # and the seed leaves ~thousands in it: each probe's rollback cost milliseconds for nothing.
        connection.run_on_commit.clear()
        built = Matrix(world)
        seed_seconds = time.process_time() - started
        yield built
        built.report(seed_seconds)
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = previous


def test_every_route_is_classified():
    unclassified = sorted(set(portal_routes()) - set(ROUTES))
    assert not unclassified, f"routes missing from ROUTES: {unclassified}"
    assert {route_group(name) for name in ROUTES} <= set(GROUPS)


# One group on one xdist worker: the seeded world is built once (a second worker would seed again).
@pytest.mark.xdist_group("access_matrix")
@pytest.mark.parametrize("group", GROUPS)
def test_the_access_matrix(matrix, group):
    problems = matrix.run(group)
    for problem in problems:
        print("  problem:", problem)
    assert not problems, "\n".join(problems[:120]) + f"\n… {len(problems)} problems"
