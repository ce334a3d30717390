"""JSON API of drafts, adjustments and published versions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
