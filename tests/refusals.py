"""What the bad-input tests check about a refusal: an answer under 500 with a message in Chinese,
and not a row of the database changed."""

import re

from django.apps import apps

CHINESE = re.compile(r"[\u4e00-\u9fff]")

# The session a request may touch (messages, the CSRF token) is not the portal's data.
_NOT_DATA = {"sessions.session"}


def _rows(model):
    if model._meta.label_lower == "core.auditrecord":
        # A refusal for lack of permission is itself recorded (access.denied): evidence, not data.
        return model.objects.exclude(action="access.denied")
    return model.objects


def database_state() -> dict:
    """Every row of every model of the portal, to compare before and after a request."""
    return {
        model._meta.label_lower: sorted(_rows(model).values_list(), key=repr)
        for model in apps.get_models()
        if model._meta.label_lower not in _NOT_DATA and model._meta.managed and not model._meta.proxy
    }


def messages_of(response) -> list[str]:
    """The user-facing texts of a refusal: the JSON's strings, or a page's messages, form errors and
    error-page text."""
    if response.get("Content-Type", "").startswith("application/json"):

        def strings(value):
            if isinstance(value, dict):  # "code" is for programs, not people
                return [text for key, item in value.items() if key != "code" for text in strings(item)]
            if isinstance(value, list):
                return [text for item in value for text in strings(item)]
            return [str(value)]

        return strings(response.json())
    page = response.content.decode()
    found = re.findall(r'<li class="(?:error|warning)"[^>]*>(.*?)</li>', page, re.S)  # messages
    found += re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)  # a form's errors
    found += re.findall(r"<h1>(页面不存在|请求无效|无权访问)</h1>\s*<p>(.*?)</p>", page, re.S)  # error pages
    return [text if isinstance(text, str) else " ".join(text) for text in found]


def assert_refused_in_chinese(response, *, status: int | tuple | None = None) -> list[str]:
    """The answer is under 500 (exactly `status` when given) and says why in Chinese."""
    assert response.status_code < 500, (response.status_code, response.content[:500])
    if status is not None:
        expected = status if isinstance(status, tuple) else (status,)
        assert response.status_code in expected, (response.status_code, response.content[:500])
    texts = messages_of(response)
    assert texts and all(CHINESE.search(text) for text in texts), (response.status_code, texts)
    return texts
