"""The load driver: simulated people (asyncio + aiohttp), each with their own session, walking a
journey against the running server for a fixed time, at a given number of concurrent people.

Each person signs in once (the login page and its CSRF token, or an API token) and keeps their
session for every concurrency step. A request that answers 4xx/5xx or raises is an error; one that
takes longer than TIMEOUT seconds is a timeout. The query count comes from the server's X-Queries.

All the people share this process's event loop: a response that has arrived waits until the loop
gets to it, and that wait is counted in its latency though no real client (each on a machine of its
own) would see it. Each step measures that wait — the loop's lag, how late a 5 ms sleep wakes — so
that a p99 can be read against it: at 32 people on 2 shared cores the lag's p99 is most of the
minimal view's p99 (a plain client in another process meanwhile sees a fraction of it).
"""

import asyncio
import re
import statistics
import time
from dataclasses import dataclass, field

import aiohttp

from bench.load.journeys import Journey, Person

TIMEOUT = 10.0
LAG_PROBE = 0.005  # seconds the lag monitor sleeps between two looks at the clock
SIGN_IN_TIMEOUT = aiohttp.ClientTimeout(total=120)  # signing in is not measured: wait out a backlog
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class StepResult:
    journey: str
    users: int
    seconds: float
    latencies: list = field(default_factory=list)  # ms of the requests that succeeded
    queries: list = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    error_samples: list = field(default_factory=list)
    last_end: float = 0.0  # perf_counter() at the end of the last request counted
    loop_lags: list = field(default_factory=list)  # ms the driver's event loop woke late (LAG_PROBE)

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors + self.timeouts

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    def loop_lag(self, share: float) -> float:
        if not self.loop_lags:
            return float("nan")
        ordered = sorted(self.loop_lags)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    @property
    def mean_queries(self) -> float:
        return statistics.mean(self.queries) if self.queries else float("nan")


class Driver:
    def __init__(self, base_url: str, plan: dict, queued=None):
        self.base_url = base_url.rstrip("/")
        self.plan = plan
        self.queued = queued or (lambda: 0)  # tasks waiting for the Celery worker
        self.people: dict[str, list[tuple[Person, aiohttp.ClientSession]]] = {}

    async def close(self):
        for people in self.people.values():
            for _person, session in people:
                await session.close()

    def _session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            base_url=self.base_url,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=TIMEOUT),
            connector=aiohttp.TCPConnector(limit=1, force_close=False),
        )

    async def _sign_in(self, journey: Journey, person: Person, session: aiohttp.ClientSession) -> None:
        password = self.plan["password"]
        if journey.sign_in == "token":
            async with session.post(
                "/api/v1/auth/token/",
                data={"username": person.username, "password": password},
                timeout=SIGN_IN_TIMEOUT,
            ) as answer:
                body = await answer.json()
                if answer.status != 200:
                    raise RuntimeError(f"token for {person.username}: {answer.status} {body}")
                person.token = body["token"]
            return
        async with session.get("/accounts/login/", timeout=SIGN_IN_TIMEOUT) as answer:
            page = await answer.text()
        token = CSRF_FIELD.search(page).group(1)
        async with session.post(
            "/accounts/login/",
            data={"username": person.username, "password": password, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=SIGN_IN_TIMEOUT,
        ) as answer:
            if answer.status != 302:
                raise RuntimeError(f"sign-in of {person.username}: {answer.status}")

    async def prepare(self, journey: Journey, count: int) -> list[tuple[Person, aiohttp.ClientSession]]:
        """`count` people for the journey, signed in (a few at a time: each sign-in hashes a password)."""
        people = self.people.setdefault(journey.name, [])
        usernames = self._usernames(journey)
        new = []
        while len(people) + len(new) < count:
            number = len(people) + len(new)
            person = Person(number=number)
            person.rng.seed(1000 + number)
            if journey.users_key:
                person.username = usernames[number % len(usernames)]
                if journey.users_key == "judges":
                    work = self.plan["judges"][person.username]
                    person.work, person.criteria = list(work["entries"]), work["criteria"]
            new.append((person, self._session()))
        if journey.sign_in:
            for start in range(0, len(new), 4):
                await asyncio.gather(*(self._sign_in(journey, p, s) for p, s in new[start : start + 4]))
        people.extend(new)
        return people[:count]

    def _usernames(self, journey: Journey) -> list[str]:
        if not journey.users_key:
            return []
        names = self.plan[journey.users_key]
        return sorted(names) if isinstance(names, dict) else names

    async def _walk(self, journey, person, session, until, result, record_from):
        """Requests until `until`; one counts when it *ends* inside [record_from, until]. Counting by
        the start dropped every request of a slow journey at 32 people: each one began in the
        warm-up and ended after it, so the step recorded nothing. The last request may end after
        `until`: it counts too (its latency is real) and the step's seconds stretch to cover it."""
        headers = {"Authorization": f"Token {person.token}"} if person.token else {}
        while True:
            started = time.perf_counter()
            if started >= until:
                return
            method, path, form = journey.next_request(person, self.plan)
            person.step += 1
            data = None
            if form is not None:
                data = {**form, "csrfmiddlewaretoken": self._csrf(session)}
            try:
                async with session.request(method, path, data=data, headers=headers, allow_redirects=False) as answer:
                    await answer.read()
                    ended = time.perf_counter()
                    elapsed = (ended - started) * 1000
                    if ended < record_from:
                        continue
                    result.last_end = max(result.last_end, ended)
                    if answer.status >= 400:
                        result.errors += 1
                        if len(result.error_samples) < 5:
                            result.error_samples.append(f"{answer.status} {method} {path}")
                    else:
                        result.latencies.append(elapsed)
                        if "X-Queries" in answer.headers:
                            result.queries.append(int(answer.headers["X-Queries"]))
            except TimeoutError:
                if time.perf_counter() >= record_from:
                    result.timeouts += 1
            except aiohttp.ClientError as error:
                if time.perf_counter() >= record_from:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(f"{type(error).__name__} {method} {path}")

    @staticmethod
    def _csrf(session) -> str:
        for cookie in session.cookie_jar:
            if cookie.key == "csrftoken":
                return cookie.value
        return ""

    async def settle(self, limit: float = 120.0) -> float:
        """Wait until the server answers the minimal view at once again and the Celery queue is
        empty (the requests and tasks a step left behind are done), so that no step measures the one
        before. Returns the seconds waited."""
        started = time.perf_counter()
        async with aiohttp.ClientSession(base_url=self.base_url) as session:
            while time.perf_counter() - started < limit:
                asked = time.perf_counter()
                try:
                    async with session.get("/bench/minimal/", timeout=SIGN_IN_TIMEOUT) as answer:
                        await answer.read()
                except (TimeoutError, aiohttp.ClientError):
                    pass
                if time.perf_counter() - asked < 0.05 and not self.queued():
                    break
                await asyncio.sleep(0.5)
        return time.perf_counter() - started

    async def run_step(self, journey: Journey, users: int, seconds: float, warmup: float) -> StepResult:
        await self.settle()
        people = await self.prepare(journey, users)
        # Before every step, not only the first: a stored page lives core.page_cache.CACHE_TTL (5 min),
        # less than a round of ten journeys on a busy machine, and the step measures a warm cache.
        person, session = people[0]
        headers = {"Authorization": f"Token {person.token}"} if person.token else {}
        for path in journey.prime_paths(self.plan):
            async with session.get(path, headers=headers, timeout=SIGN_IN_TIMEOUT) as answer:
                await answer.read()
        result = StepResult(journey=journey.name, users=users, seconds=seconds)
        start = time.perf_counter()
        record_from, until = start + warmup, start + warmup + seconds
        monitor = asyncio.create_task(self._watch_loop(result, record_from, until))
        await asyncio.gather(
            *(self._walk(journey, person, session, until, result, record_from) for person, session in people)
        )
        monitor.cancel()
        result.seconds = max(seconds, result.last_end - record_from)
        return result

    @staticmethod
    async def _watch_loop(result: StepResult, record_from: float, until: float) -> None:
        """How late the event loop wakes a sleeper during the measured seconds: the time a response
        can wait in this process before its person's code runs."""
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(LAG_PROBE)
            woke = time.perf_counter()
            if record_from <= asked and woke <= until:
                result.loop_lags.append((woke - asked - LAG_PROBE) * 1000)
