"""Plans kept in the database: a name, a layer and planned activities, apart from the
listings. Anyone may open a plan by its number (a shared link); saving asks a signed-in
person (the core checks that)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime

import sqlalchemy as sa

from socialbasis.analysis.planning import PlannedActivity
from socialbasis.db.store import ListingDatabase
from socialbasis.db.tables import plans
from socialbasis.errors import SocialBasisError
from socialbasis.i18n import _
from socialbasis.vocab import Layer, codes

MAX_ACTIVITIES = 20
MAX_NAME = 200


class PlanError(SocialBasisError):
    """A plan that cannot be saved or read as asked."""


@dataclass(frozen=True)
class SavedPlan:
    id: int
    gemeentecode: str
    name: str
    layer: str
    activities: tuple[PlannedActivity, ...]
    created_by: str
    created_at: datetime


def _activity(value: object, plan_id: int | None) -> PlannedActivity:
    """One stored activity back as a PlannedActivity; anything else is a clear error."""
    known = {f.name for f in fields(PlannedActivity)}
    if not isinstance(value, dict) or not {"name", "lat", "lon", "layer"} <= set(value):
        raise PlanError(_("Plan {id}: een activiteit is onleesbaar opgeslagen.").format(id=plan_id))
    data = {k: v for k, v in value.items() if k in known}
    data["target_groups"] = tuple(data.get("target_groups") or ())
    try:
        data["lat"], data["lon"] = float(data["lat"]), float(data["lon"])
    except (TypeError, ValueError) as exc:
        raise PlanError(
            _("Plan {id}: een activiteit heeft geen geldige plek.").format(id=plan_id)
        ) from exc
    return PlannedActivity(**data)


class Plans:
    def __init__(self, database: ListingDatabase) -> None:
        self.database = database

    def save(
        self,
        gemeentecode: str,
        name: str,
        layer: str,
        activities: list[PlannedActivity] | tuple[PlannedActivity, ...],
        actor: str,
    ) -> int:
        """Store a plan under a name; its number comes back (for the link)."""
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise PlanError(
                _("Geef het plan een naam van 1 tot {most} tekens.").format(most=MAX_NAME)
            )
        if layer not in codes(Layer):
            raise PlanError(_("Onbekende laag {layer!r}.").format(layer=layer))
        if not 1 <= len(activities) <= MAX_ACTIVITIES:
            raise PlanError(
                _("Een plan heeft 1 tot {most} activiteiten.").format(most=MAX_ACTIVITIES)
            )
        rows = [asdict(a) | {"target_groups": list(a.target_groups)} for a in activities]
        with self.database.transaction() as connection:
            result = connection.execute(
                sa.insert(plans).values(
                    gemeentecode=gemeentecode,
                    name=name,
                    layer=layer,
                    activities=rows,
                    created_by=actor,
                    created_at=datetime.now(UTC),
                )
            )
            return int(result.inserted_primary_key[0])

    def get(self, plan_id: int, gemeentecode: str) -> SavedPlan | None:
        """A plan of this gemeente by its number (None: there is none)."""
        query = sa.select(plans).where(plans.c.id == plan_id, plans.c.gemeentecode == gemeentecode)
        with self.database.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        stored = row["activities"]
        if not isinstance(stored, list):
            raise PlanError(_("Plan {id} is onleesbaar opgeslagen.").format(id=plan_id))
        return SavedPlan(
            row["id"],
            row["gemeentecode"],
            row["name"],
            row["layer"],
            tuple(_activity(a, plan_id) for a in stored),
            row["created_by"],
            row["created_at"],
        )

    def list(self, gemeentecode: str) -> list[tuple[int, str, str]]:
        """Number, name and layer of every plan of a gemeente, newest first."""
        query = (
            sa.select(plans.c.id, plans.c.name, plans.c.layer)
            .where(plans.c.gemeentecode == gemeentecode)
            .order_by(plans.c.id.desc())
        )
        with self.database.engine.connect() as connection:
            return [tuple(r) for r in connection.execute(query).all()]  # type: ignore[misc]
