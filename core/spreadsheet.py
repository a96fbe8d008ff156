"""The one rule for a cell of every CSV the portal writes: the admin's export actions, the audit
trail's export and the API's CSV and HXL formats.

Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula
(CSV injection), so such text gets a leading apostrophe; numbers (negative ones included) stay numbers.
Related records (a list, a many-to-many manager) are joined with '; ', each item defused too.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """`value` as a CSV cell a spreadsheet will show and not run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if hasattr(value, "all") and callable(value.all):  # a related manager or a queryset
        value = list(value.all())
    if isinstance(value, list | tuple):
        value = "; ".join(str(csv_cell(item)) for item in value)
    elif isinstance(value, dict):
        value = "; ".join(f"{key}={csv_cell(item)}" for key, item in value.items())
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
