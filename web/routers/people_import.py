"""People from a spreadsheet (CSV, XLSX) with a downloadable template."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
