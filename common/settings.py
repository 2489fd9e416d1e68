"""One typed settings object for the whole product.

Values come from environment variables prefixed ``IOC_`` (or an ``.env`` file
beside the working directory); nothing else in the code base holds a tunable
constant. KPI targets live here because provinces set their own.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


HandlingLevel = Literal["Tỉnh", "Huyện", "Xã"]


class Targets(BaseSettings):
    """Targets the province has set itself (fractions 0..1).

    Provinces that set some targets by handling level (online filing 90% for provincial procedures,
    50% for communes) override them per level, e.g.
    ``IOC_TARGETS__BY_LEVEL='{"Tỉnh": {"online_rate": 0.9}, "Xã": {"online_rate": 0.5}}'``; a slice
    filtered to that level is measured against its override, everything else against the province's.
    """

    on_time_rate: float = 0.99
    late_rate: float = 0.01
    online_rate: float = 0.50
    full_online_rate: float = 0.80
    cashless_rate: float = 0.50
    online_payment_rate: float = 0.80
    digitised_rate: float = 0.80
    satisfaction_rate: float = 0.85
    by_level: dict[HandlingLevel, dict[str, float]] = Field(default_factory=dict)

    @field_validator("by_level")
    @classmethod
    def _known_keys(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        """A misspelt KPI key would silently keep the province's target: refuse it at start-up."""
        known = set(cls.model_fields) - {"by_level"}
        unknown = {k for overrides in value.values() for k in overrides} - known
        if unknown:
            raise ValueError(f"unknown KPI in targets by level: {sorted(unknown)}")
        return value

    def of(self, key: str, level: str | None = None) -> float | None:
        """The target of ``key`` for a handling level (its override, else the province's); None if unset."""
        if key not in type(self).model_fields or key == "by_level":
            return None
        return self.by_level.get(level, {}).get(key, getattr(self, key))


class Criterion766(BaseModel):  # a plain model: built for every score, a BaseSettings re-reads the environment
    """One item of the Decision 766/QĐ-TTg estimate (KPI.md): maximum points, the rate that earns them all
    (None for an item the exports cannot compute) and, optionally, the handling levels it applies to (an
    item that does not apply at a unit's level gets full marks by rule)."""

    pmax: float
    target: float | None = None
    applies_to: tuple[str, ...] | None = None


def default_criteria_766() -> dict[str, Criterion766]:
    """KPI.md's table: six groups, 100 points."""
    c = Criterion766
    return {"1.1": c(pmax=6), "1.2": c(pmax=12),
            "2.1": c(pmax=20, target=1.0),
            "3.1": c(pmax=2, target=0.8), "3.2": c(pmax=4, target=1.0), "3.3": c(pmax=6, target=0.5),
            "4.1": c(pmax=6, target=1.0), "4.2": c(pmax=4),
            "5.1": c(pmax=4, target=0.8), "5.2": c(pmax=18),
            "6.1": c(pmax=6, target=0.9), "6.2": c(pmax=6), "6.3": c(pmax=6)}


class Settings(BaseSettings):
    """Product settings, read from ``IOC_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="IOC_", env_file=".env", extra="ignore",
                                      env_nested_delimiter="__")

    db_path: Path = Path("data/warehouse.duckdb")
    # Today's province, a code of the newest unit list (warehouse/reference/units.toml). The lists and the
    # conversion between them are reference data: a province may point at its own folder of them, and
    # choose which successor each split commune's dossiers count in with an assignment file
    # (CSV old_code,new_code; README "Units across the 1 July 2025 reorganisation").
    province_code: str = "80"
    reference_dir: Path = Path(__file__).resolve().parents[1] / "warehouse" / "reference"
    unit_assignment_file: Path | None = None
    # Commune boundaries for the map (GeoJSON, properties.code = the 2025 code); by default the reference
    # folder's boundaries/communes_<province>.geojson
    boundaries_file: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    demo_seed: int = 72
    due_soon_hours: int = 24
    freshness_hours: int = 24
    wall_refresh_seconds: int = 300
    wall_rotate_seconds: int = 30
    keep_versions: int = 2
    # the size a version's layer (warehouse/layers.py) may reach before a load folds it into a new base;
    # unset: a twentieth of the base, at least 16 MB (0: every load writes a full version)
    max_layer_mb: float | None = None
    etl_memory_limit: str = "1GB"
    inbox_dir: Path = Path("data/inbox")
    inbox_interval_minutes: float = 5.0
    inbox_settle_seconds: float = 5.0
    scheduler_in_app: bool = True
    misfire_grace_seconds: int = 3600
    cache_type: str = "SimpleCache"
    cache_redis_url: str | None = None
    cache_timeout_s: int = 3600
    cache_max_entries: int = 20000   # the in-process cache's size (a warm-up of the demo stores ~2,500)
    # After each load, draw the pages people open first into the cache (dashboards/warm.py)
    warm_after_load: bool = True
    warm_poll_seconds: float = 5.0
    # The weekly email (reports/). SMTP settings keep the names operators know: IOC_SMTP_HOST, ...
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "ioc@localhost"
    mail_recipients: list[str] = Field(default_factory=list)
    mail_recipients_by_unit: dict[str, list[str]] = Field(default_factory=dict)
    mail_retries: int = 3
    mail_backoff_seconds: float = 2.0
    mail_overdue_shown: int = 10
    mail_weekday: str = "mon"
    mail_hour: int = 7
    mail_grace_hours: int = 48
    public_url: str = "http://127.0.0.1:8050"
    # Threshold alerts (reports/alerts.py): a JSON file of rules, and the daily evaluation time (HH:MM)
    alert_rules: Path | None = None
    alert_daily_at: str = "07:30"
    # Access control (access/). The secret signs session cookies; unset, one is generated and kept
    # in the access store beside the warehouse, so every worker and every restart shares it.
    secret_key: str | None = None
    session_idle_minutes: float = 30
    session_max_hours: float = 12       # a password session ends after this, active or not
    cookie_secure: bool | None = None   # None: Secure when the request came over HTTPS
    proxy_count: int = 0                # reverse proxies in front whose X-Forwarded-* headers are trusted
    login_window_minutes: int = 15
    login_max_failures_user: int = 5
    login_max_failures_address: int = 20
    province_name: str = "Tây Ninh"
    targets: Targets = Field(default_factory=Targets)
    criteria_766: dict[str, Criterion766] = Field(default_factory=default_criteria_766)

    @property
    def boundaries_path(self) -> Path:
        """The commune boundary file in use: the setting, else the reference folder's file of the province."""
        return self.boundaries_file or self.reference_dir / "boundaries" / f"communes_{self.province_code}.geojson"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
