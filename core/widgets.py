"""Date and time inputs the browser's own pickers understand.

`<input type="date">` accepts only ISO values (2026-01-01). Left to itself, Django renders a date
in the active language's first input format, 2026/01/01 under zh-hans, which the browser throws
away, so an edit form came back with its dates empty. Every date field uses these widgets.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
