"""Each role's journey through the portal, as the requests one simulated person makes in a loop.

A journey has a role (who signs in, and how: a session through the login page, or an API token)
and a `next_request(person)` that returns the next (method, path, form) of that person's walk.
Every request is timed on its own, so requests per second are requests, not journeys.
"""

import random
from dataclasses import dataclass, field

MINIMAL = "/bench/minimal/"
KEYWORDS = ["停车", "监测", "智慧", "识别 平台", "养老", "数字孪生", "无人", "储能"]
STAGES = ["under_construction", "planned"]


@dataclass
class Person:
    """One simulated person: their HTTP session and where they are in their journey."""

    number: int
    username: str = ""
    rng: random.Random = field(default_factory=random.Random)
    step: int = 0
    token: str = ""
    work: list = field(default_factory=list)  # a judge's open sheets (entry ids), taken one by one
    criteria: list = field(default_factory=list)


@dataclass
class Journey:
    name: str
    title: str
    sign_in: str  # "" (anonymous), "session" or "token"
    kind: str  # "anonymous" (catalogue, API lists: ≥ 1/3 of the floor), "signed-in" (≥ 1/10), "cockpit" (≥ 1/3)
    users_key: str = ""  # the plan's list of usernames for this journey

    def next_request(self, person: Person, plan: dict) -> tuple[str, str, dict | None]:
        raise NotImplementedError

    def prime_paths(self, plan: dict) -> list[str]:
        """Paths visited once, unmeasured, before each of the journey's steps (a warm cache)."""
        return []


class Minimal(Journey):
    def next_request(self, person, plan):
        return "GET", MINIMAL, None


class Catalogue(Journey):
    """The catalogue: the first page, keyword searches, a district and stage, a search with filters,
    the next pages — 48 addresses in all, visited in a random order. Visitors get whole pages from
    the cache, signed-in people the stored filters and rows inside a page rendered for them
    (core.page_cache.cached_part); both warmed by one visit to each address before every step."""

    @staticmethod
    def addresses(plan) -> list[list[str]]:
        return [
            ["/scenarios/"],
            [f"/scenarios/?q={keyword}" for keyword in KEYWORDS],
            [f"/scenarios/?district={code}&stage={stage}" for code in plan["districts"] for stage in STAGES],
            [f"/scenarios/?q={keyword}&track=mature&funding_level=city" for keyword in KEYWORDS],
            [f"/scenarios/?page={page}" for page in range(2, 7)],
        ]

    def next_request(self, person, plan):
        kinds = self.addresses(plan)
        return "GET", person.rng.choice(kinds[person.step % len(kinds)]), None

    def prime_paths(self, plan):
        return [path for kind in self.addresses(plan) for path in kind]


class ScenarioPage(Journey):
    def next_request(self, person, plan):
        return "GET", f"/scenarios/{person.rng.choice(plan['scenarios'])}/", None


class ApiLists(Journey):
    """A company's script with an API token: scenario and capability lists, searched and paged, and
    listed entries — 566 addresses in all. A city's scripts ask for the same few hundred addresses
    again and again, so the stored lists (core.api.cached_lists) and entries answer nearly every
    request; like the catalogue's, the cache is warmed by one visit to each address before every
    step (without it a short step measures the cache being filled: one miss per address)."""

    PAGES = range(1, 30)

    def next_request(self, person, plan):
        rng, kind = person.rng, person.step % 4
        if kind == 0:
            return "GET", f"/api/v1/scenarios/?page={rng.choice(self.PAGES)}", None
        if kind == 1:
            return "GET", f"/api/v1/scenarios/?q={rng.choice(KEYWORDS)}", None
        if kind == 2:
            return "GET", f"/api/v1/capabilities/?page={rng.choice(self.PAGES)}", None
        return "GET", f"/api/v1/capabilities/{rng.choice(plan['entries'])}/", None

    def prime_paths(self, plan):
        return [
            *(f"/api/v1/scenarios/?page={page}" for page in self.PAGES),
            *(f"/api/v1/scenarios/?q={keyword}" for keyword in KEYWORDS),
            *(f"/api/v1/capabilities/?page={page}" for page in self.PAGES),
            *(f"/api/v1/capabilities/{entry}/" for entry in plan["entries"]),
        ]


class Recommendations(Journey):
    def next_request(self, person, plan):
        return "GET", "/capabilities/recommendations/", None


class JudgeScoring(Journey):
    """A judge on a tablet: the sheet of the next open entry, a draft saved, then signed and submitted."""

    def next_request(self, person, plan):
        if not person.work:
            return "GET", "/judging/", None
        entry = person.work[0]
        kind = person.step % 3
        path = f"/judging/entries/{entry}/score/"
        if kind == 0:
            return "GET", path, None
        form = {}
        for criterion, maximum in person.criteria:
            form[f"points_{criterion}"] = str(person.rng.randint(maximum, maximum * 2) / 2).removesuffix(".0")
            form[f"comment_{criterion}"] = "方案清晰，可实施。"
        if kind == 1:
            return "POST", path, {**form, "action": "save"}
        person.work.pop(0)
        return "POST", path, {**form, "action": "submit"}


class ReviewQueue(Journey):
    """An operator's review queues: scenarios waiting for approval or publication, capability entries."""

    def next_request(self, person, plan):
        return "GET", ("/scenarios/review/", "/capabilities/review/")[person.step % 2], None


class CockpitPage(Journey):
    """The 驾驶舱 page with a warm cache, as the issue measures it: visited once before every step
    (the judge's step before it submits sheets, which makes the contest funnel stale)."""

    def next_request(self, person, plan):
        return "GET", "/steering/", None

    def prime_paths(self, plan):
        return ["/steering/"]


class CockpitCharts(Journey):
    """The 驾驶舱's chart endpoints (what the page fetches), unfiltered and for one year, with a warm
    cache (each visited once before every step)."""

    @staticmethod
    def addresses(plan) -> list[str]:
        return [f"/api/v1/cockpit/{code}/{query}" for query in ("", "?year=2025") for code in plan["charts"]]

    def next_request(self, person, plan):
        addresses = self.addresses(plan)
        return "GET", addresses[person.step % len(addresses)], None

    def prime_paths(self, plan):
        return self.addresses(plan)


JOURNEYS = [
    Minimal("minimal", "minimal view (fixed JSON)", "", "floor"),
    Catalogue("catalogue", "anonymous catalogue, search and filters", "", "anonymous"),
    Catalogue("catalogue-signed-in", "catalogue, signed in (company)", "session", "signed-in", "company_users"),
    ScenarioPage("scenario", "anonymous scenario page", "", "anonymous"),
    ApiLists("api-lists", "API lists (company, token)", "token", "anonymous", "company_users"),
    Recommendations("recommendations", "company's 推荐场景", "session", "signed-in", "company_users"),
    JudgeScoring("judge", "judge: score sheet, draft, submit", "session", "signed-in", "judges"),
    ReviewQueue("review", "operator's review queues", "session", "signed-in", "operators"),
    CockpitPage("cockpit", "驾驶舱 page (official)", "session", "cockpit", "officials"),
    CockpitCharts("cockpit-charts", "驾驶舱 chart endpoints (official)", "session", "cockpit", "officials"),
]
