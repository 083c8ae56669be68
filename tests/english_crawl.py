"""Crawl every page a person can reach, in English, and list the Chinese left in the interface.

Used by tests/demo/test_english_crawl.py on the demo data. Chinese is allowed where it is data: a
proper name or a text someone entered (a scenario's title, a company's name, a reviewer's reason).
Everything else in headings, labels, buttons, table headers, links and options must be English.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.db import models

CHINESE = re.compile(r"[\u3400-\u9fff]")
# Two English labels run together (Chinese needs no space: "SubmittedPending"), or Chinese
# punctuation left in English text ("Download result：").
RUN_TOGETHER = re.compile(r"[a-z][A-Z][a-z]|[A-Za-z][：，。；（）]|[：，。；（）][A-Za-z]")
# Elements whose text is the interface's own words.
INTERFACE_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "label", "button", "legend", "summary", "option", "a", "dt"}
# Reference data: the portal's own lists, which have English names and must show them.
REFERENCE_MODELS = {
    "scenarios.domain",
    "accounts.district",
    "capability_list.industrycategory",
    "capability_list.strategicarea",
}
# Pages that are files, actions or endless (each link a new day, page or sort order).
# Texts the portal wrote itself: they are shown in the reader's language, so they are not data.
MACHINE_TEXTS = {
    "core.notification": {"title", "body"},
    "core.job": {"title", "progress_message", "error"},
    "matching.match": {"explanation"},
    "core.auditrecord": {"actor_label"},
}
# The language switch names each language in itself.
ALLOWED = {"简体中文"}
SKIPPED = re.compile(
    r"/(logout|media|static|api|admin|i18n|accounts/logout)/|/download|/export|\.xlsx|\.pdf|/attachments?/"
)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []
        self._skip = 0

    def _boundary(self):
        # Text in different elements is laid out apart; only one text written as one can run together.
        for _tag, parts in self._open:
            parts.append(" ")

    def handle_starttag(self, tag, attrs):
        self._boundary()
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "style", "textarea"):
            self._skip += 1
        if tag in INTERFACE_TAGS:
            self._open.append((tag, []))
        for name in ("placeholder", "aria-label", "title"):
            if attrs.get(name):
                self.texts.append((f"{tag}[{name}]", attrs[name]))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(("input[value]", attrs["value"]))

    def handle_endtag(self, tag):
        self._boundary()
        if tag in ("script", "style", "textarea"):
            self._skip = max(0, self._skip - 1)
        if tag in INTERFACE_TAGS:
            for index in range(len(self._open) - 1, -1, -1):
                if self._open[index][0] == tag:
                    open_tag, parts = self._open.pop(index)
                    text = " ".join("".join(parts).split())
                    if text:
                        self.texts.append((open_tag, text))
                    break

    def handle_data(self, data):
        if self._skip:
            return
        for _tag, parts in self._open:
            parts.append(data)


def stored_texts() -> list[str]:
    """Every text value stored in the database outside the reference lists, longest first, so that a
    name inside a longer title is removed with the title."""
    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.label_lower in REFERENCE_MODELS:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and field.name not in MACHINE_TEXTS.get(model._meta.label_lower, ())
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value and CHINESE.search(str(value)):
                    text = str(value)
                    values.add(text)
                    # Lines of a longer text are shown on their own, and long texts are cut.
                    values.update(line.strip() for line in text.splitlines() if line.strip())
                    values.add(text[:20])
    return sorted(values, key=len, reverse=True)


def _without_data(text: str, data: list[str]) -> str:
    # A long text cut short on the page (truncatechars) is still the text someone wrote.
    for cut in ("…", "..."):
        if text.endswith(cut) and any(value.startswith(text[: -len(cut)].strip()) for value in data):
            return ""
    for value in data:
        if value in text:
            text = text.replace(value, " ")
            if not CHINESE.search(text):
                break
    return text


def crawl(client, start: str, *, limit: int = 400, data: list[str]) -> tuple[dict[str, list[str]], list[str], int]:
    """Follow the portal's links from start (GET only). Returns {page: [Chinese interface texts]},
    the pages that did not answer 200, and how many pages were read."""
    seen, queue = {start}, deque([start])
    findings: dict[str, list[str]] = {}
    failures: list[str] = []
    patterns: dict[str, int] = {}
    read = 0
    while queue and len(seen) <= limit:
        url = queue.popleft()
        read += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            failures.append(f"{url} → {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        collector = _Collector()
        collector.feed(response.content.decode())
        leftovers = []
        for tag, text in collector.texts:
            rest = _without_data(text, data) if CHINESE.search(text) and text not in ALLOWED else ""
            if CHINESE.search(rest):
                leftovers.append(f"<{tag}> {text}")
            elif RUN_TOGETHER.search(_without_data(text, data)):
                leftovers.append(f"<{tag}> run together: {text}")
        if leftovers:
            findings[url] = sorted(set(leftovers))
        for href in collector.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path):
                continue
            # One page per URL shape and query: /scenarios/12/ and /scenarios/13/ are the same page.
            shape = re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"=[^&]*", "=", parts.query) if parts.query else "")
            patterns[shape] = patterns.get(shape, 0) + 1
            if patterns[shape] > 2 or href in seen:
                continue
            seen.add(href)
            queue.append(href)
    return findings, failures, read
