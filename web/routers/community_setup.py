"""Community set-up pages: roles, posts and shift templates, coverage rules, meal rules, team duties."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
