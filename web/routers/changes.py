"""Changes after publishing: repair after a drop-out, swaps between volunteers."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
