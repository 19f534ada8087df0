"""Where the warehouse lives: DuckDB file (embedded default) or PostgreSQL, from the environment.

The same environment variables feed `profiles.example.yml`, so dbt and the loaders always
point at the same database.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr

from loaders import PROJECT_DIR

Target = Literal["duckdb", "postgres"]

CONTROL_SCHEMA = "control"
RAW_SCHEMA = "github_raw"
ANALYTICS_SCHEMA = "analytics"


class WarehouseSettingsError(ValueError):
    """A WAREHOUSE_* variable is unusable; the message names it (the CLI exits 2)."""


class WarehouseSettings(BaseModel):
    target: Target = "duckdb"
    duckdb_path: Path = PROJECT_DIR / "warehouse.duckdb"
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "postgres"
    pg_password: SecretStr = SecretStr("")
    pg_database: str = "warehouse"
    control_schema: str = CONTROL_SCHEMA
    raw_schema: str = RAW_SCHEMA
    analytics_schema: str = ANALYTICS_SCHEMA

    # dbt's layers (macros/generate_schema_name.sql): marts in analytics_schema, the rest
    # beside it. Python reads intermediate tables (retention) by these names.
    @property
    def staging_schema(self) -> str:
        return f"{self.analytics_schema}_staging"

    @property
    def intermediate_schema(self) -> str:
        return f"{self.analytics_schema}_intermediate"

    @classmethod
    def from_env(cls, target: str | None = None) -> WarehouseSettings:
        env = os.environ
        chosen = target or env.get("WAREHOUSE_TARGET", "duckdb")
        if chosen not in ("duckdb", "postgres"):
            raise WarehouseSettingsError(
                f"WAREHOUSE_TARGET={chosen!r} is not a target: use 'duckdb' or 'postgres'"
            )
        port = env.get("WAREHOUSE_PG_PORT", "5432")
        if not port.isdigit():
            raise WarehouseSettingsError(f"WAREHOUSE_PG_PORT={port!r} is not a port number")
        return cls(
            target=chosen,  # type: ignore[arg-type]
            duckdb_path=Path(env.get("WAREHOUSE_DUCKDB_PATH", PROJECT_DIR / "warehouse.duckdb")),
            pg_host=env.get("WAREHOUSE_PG_HOST", "127.0.0.1"),
            pg_port=int(port),
            pg_user=env.get("WAREHOUSE_PG_USER", "postgres"),
            pg_password=SecretStr(env.get("WAREHOUSE_PG_PASSWORD", "")),
            pg_database=env.get("WAREHOUSE_PG_DATABASE", "warehouse"),
        )

    def dbt_env(self) -> dict[str, str]:
        """Environment variables `profiles.example.yml` reads, for a dbt invocation."""
        return {
            "WAREHOUSE_TARGET": self.target,
            # Absolute: dbt runs in the project directory, the loaders in the caller's; a
            # relative path would name two different files.
            "WAREHOUSE_DUCKDB_PATH": str(self.duckdb_path.absolute()),
            "WAREHOUSE_PG_HOST": self.pg_host,
            "WAREHOUSE_PG_PORT": str(self.pg_port),
            "WAREHOUSE_PG_USER": self.pg_user,
            "WAREHOUSE_PG_PASSWORD": self.pg_password.get_secret_value(),
            "WAREHOUSE_PG_DATABASE": self.pg_database,
        }

    def describe(self) -> str:
        """Human-readable location, never including the password."""
        if self.target == "duckdb":
            return f"duckdb file {self.duckdb_path}"
        return f"postgres {self.pg_user}@{self.pg_host}:{self.pg_port}/{self.pg_database}"
