"""Calendar feeds and personal pages at secret links; print view, PDF and PNG of a week."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
