"""JSON Schema of the package format, generated from the core model."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from veikart.core.model import Framework, Indicator, Observation, ReportingPeriod

__all__ = ["SCHEMAS", "schema_text", "write_schemas"]

#: file name -> model. observation.schema.json describes one CSV row (dimension columns as `series`).
SCHEMAS: dict[str, type[BaseModel]] = {
    "framework.schema.json": Framework,
    "indicator.schema.json": Indicator,
    "period.schema.json": ReportingPeriod,
    "observation.schema.json": Observation,
}


def schema_text(model: type[BaseModel]) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = directory / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written
