"""The person form as a browser posts it, for the people tests and the bounded-input tests."""

from __future__ import annotations

from typing import Any


def person_form(token: str, **fields: Any) -> dict[str, Any]:
    """A valid new person (Erin, a volunteer) with every field of the form; `fields` override."""
    data: dict[str, Any] = {
        "csrf_token": token, "key": "erin", "name": "Erin", "roles": ["vol"], "phone": "", "language": "zh",
        "max_hours_per_week": "", "max_shifts_per_week": "", "max_nights_per_week": "", "min_rest_hours": "",
        "nights_allowed": "", "meal_minutes": "",
    }
    data.update(fields)
    return data
