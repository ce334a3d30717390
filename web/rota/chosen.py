"""Which rota of a week a print-out or a download shows: the draft (`draft=1`), version n (`version=n`), or the
latest published version, with the label it is printed under. Shared by the print routes and the spreadsheet."""

from __future__ import annotations

import datetime as dt

from fastapi import HTTPException
from sqlalchemy.orm import Session

from scheduler import Rota, Scenario
from web.i18n import Translator
from web.rota import drafts
from web.rota import service as rotas
from web.store import stored_rota, stored_scenario
from web.tables import Community
from web.validation import whole_number


def chosen_rota(
    db: Session, community: Community, week: dt.date, version: str, draft: str, t: Translator
) -> tuple[Scenario, Rota, str]:
    """The scenario, rota and label ('v2', or the draft's label); 404 when there is no such rota."""
    if draft == "1":
        row = drafts.draft_row(db, community, week)
        if row is None:
            raise HTTPException(404, "no draft")
        return stored_scenario(row), stored_rota(row), t("print.draft_label")
    if version:
        version_row = rotas.version_row(db, community.id, week, whole_number(version) or 0)
        found = rotas.published(version_row) if version_row is not None else None
    else:
        found = rotas.latest_version(db, community.id, week)
    if found is None:
        raise HTTPException(404, "nothing published")
    return found.scenario, found.rota, f"v{found.version}"
