"""The same coverage and gap computation done the straightforward way, for comparison:
``geopandas.sjoin_nearest`` per layer for the nearest distance, and buffer-union coverage
(buffer every initiative, union, intersect with the buurten) for the shares."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from socialbasis.analysis.coverage import WalkParams, share_column
from socialbasis.analysis.gaps import gap_score
from socialbasis.analysis.need import need_index


def coverage_straightforward(
    buurten: gpd.GeoDataFrame, initiatives: gpd.GeoDataFrame, layer: str, walk: WalkParams
) -> pd.DataFrame:
    points = initiatives.loc[initiatives["layer"] == layer, ["geometry"]]
    rows = pd.DataFrame({"buurtcode": buurten["buurtcode"].to_numpy()}, index=buurten.index)
    area = buurten.area
    for minutes, metres in zip(walk.minutes, walk.metres(), strict=True):
        if points.empty:
            rows[share_column(minutes)] = 0.0
            continue
        covered = gpd.GeoDataFrame(
            geometry=[points.buffer(metres).union_all()], crs=buurten.crs
        ).explode(index_parts=False)
        parts = gpd.overlay(
            buurten[["buurtcode", "geometry"]], covered, how="intersection", keep_geom_type=True
        )
        inside = parts.assign(a=parts.area).groupby("buurtcode")["a"].sum()
        rows[share_column(minutes)] = (
            rows["buurtcode"].map(inside).fillna(0).to_numpy() / area.to_numpy()
        )
    centres = gpd.GeoDataFrame(
        {"buurtcode": buurten["buurtcode"]},
        geometry=buurten.representative_point(),
        crs=buurten.crs,
    )
    if points.empty:
        rows["nearest_m"] = np.nan
    else:
        nearest = gpd.sjoin_nearest(centres, points, distance_col="d").groupby("buurtcode")["d"]
        rows["nearest_m"] = rows["buurtcode"].map(nearest.min())
    counts = initiatives[initiatives["layer"] == layer].groupby("buurtcode").size()
    rows["count"] = rows["buurtcode"].map(counts).fillna(0).astype(int)
    return rows


def gaps_straightforward(
    buurten: gpd.GeoDataFrame,
    initiatives: gpd.GeoDataFrame,
    layer: str,
    walk: WalkParams | None = None,
) -> pd.DataFrame:
    walk = walk or WalkParams()
    rows = coverage_straightforward(buurten, initiatives, layer, walk)
    rows["coverage"] = rows[[share_column(m) for m in walk.minutes]].mean(axis=1)
    rows["score"] = gap_score(rows["coverage"], need_index(buurten))
    return rows.sort_values(["score", "buurtcode"], ascending=[False, True])
