"""The rota of a week: view per post and per person, fairness, adjust, publish, versions and their differences."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
