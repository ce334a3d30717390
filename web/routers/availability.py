"""A person's availability: weekly windows on a grid, plus dated exceptions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
