"""A synthetic framework package of any size, for benchmarks (never shipped as data)."""

from __future__ import annotations

import random
from pathlib import Path

from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import (
    Ambition,
    Dimension,
    DimensionValue,
    Framework,
    Goal,
    Indicator,
    NaturalLimit,
    Source,
    Unit,
)
from veikart.package.writer import write_package


def synthetic(indicators: int = 250, years: int = 20, regions: int = 4, groups: int = 5, seed: int = 1) -> FrameworkData:
    """`indicators` x `years` x (`regions` x `groups`) observations, all illustrative."""
    rng = random.Random(seed)
    goals = [Goal(id=str(g), title=f"Mål {g}") for g in range(1, 6)]
    fw = Framework(
        id="syntetisk", title="Syntetisk rammeverk", owner="Benchmark", base_year=2010, horizon_year=2035, goals=goals
    )
    data = FrameworkData(fw)
    region_dim = Dimension(id="region", title="Region", values=[DimensionValue(code=f"r{r}") for r in range(regions)])
    group_dim = Dimension(id="gruppe", title="Gruppe", values=[DimensionValue(code=f"g{g}") for g in range(groups)])
    for i in range(indicators):
        ind_id = f"ind-{i:04d}"
        data.indicators[ind_id] = Indicator(
            id=ind_id,
            title=f"Indikator {i}",
            goal=str(i % 5 + 1),
            definition="Syntetisk indikator for ytelsesmåling.",
            unit=Unit.PERCENT,
            natural_limit=NaturalLimit(lower=0, upper=100),
            sources=[Source(id="kilde", organisation="Benchmark")],
            dimensions=[region_dim, group_dim],
            ambitions=[Ambition(value=90, unit=Unit.PERCENT, deadline="2030-12-31")],
        )
        table = ObservationTable(ind_id, ("region", "gruppe"))
        for r in range(regions):
            for g in range(groups):
                level = rng.uniform(10, 60)
                for y in range(years):
                    level = min(100.0, level * rng.uniform(0.98, 1.06))
                    table.append((f"r{r}", f"g{g}"), str(2005 + y), round(level, 2), None, "", "illustrative", "", "")
        data.observations[ind_id] = table
    return data


def write_synthetic(target: Path, **kw: int) -> FrameworkData:
    data = synthetic(**kw)
    write_package(data, target)
    return data
