"""JSON API of the community set-up."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
