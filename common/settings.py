"""One typed settings object for the whole product.

Values come from environment variables prefixed ``IOC_`` (or an ``.env`` file
beside the working directory); nothing else in the code base holds a tunable
constant. KPI targets live here because provinces set their own.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Targets(BaseSettings):
    """Targets the province has set itself (fractions 0..1)."""

    on_time_rate: float = 0.99
    late_rate: float = 0.01
    online_rate: float = 0.50
    full_online_rate: float = 0.80
    cashless_rate: float = 0.50
    online_payment_rate: float = 0.80
    digitised_rate: float = 0.80
    satisfaction_rate: float = 0.85


class Criterion766(BaseSettings):
    """One scored criterion of Decision 766/QĐ-TTg: maximum points and the target rate."""

    pmax: float
    target: float


def _criteria_766() -> dict[str, Criterion766]:
    return {"2.1": Criterion766(pmax=20, target=1.0), "3.3": Criterion766(pmax=6, target=0.5),
            "3.6": Criterion766(pmax=6, target=0.8), "4.2": Criterion766(pmax=4, target=0.8),
            "5.4": Criterion766(pmax=6, target=0.9)}


class Settings(BaseSettings):
    """Product settings, read from ``IOC_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="IOC_", env_file=".env", extra="ignore",
                                      env_nested_delimiter="__")

    db_path: Path = Path("data/warehouse.duckdb")
    province_code: str = "72"
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    demo_seed: int = 72
    due_soon_hours: int = 24
    freshness_hours: int = 24
    wall_refresh_seconds: int = 300
    wall_rotate_seconds: int = 30
    keep_versions: int = 2
    etl_memory_limit: str = "1GB"
    inbox_dir: Path = Path("data/inbox")
    inbox_interval_minutes: float = 5.0
    inbox_settle_seconds: float = 5.0
    scheduler_in_app: bool = True
    misfire_grace_seconds: int = 3600
    cache_type: str = "SimpleCache"
    cache_redis_url: str | None = None
    cache_timeout_s: int = 3600
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
    # Access control (access/). The secret signs session cookies; unset, one is generated and kept
    # in the access store beside the warehouse, so every worker and every restart shares it.
    secret_key: str | None = None
    session_idle_minutes: float = 30
    cookie_secure: bool | None = None   # None: Secure when the request came over HTTPS
    proxy_count: int = 0                # reverse proxies in front whose X-Forwarded-* headers are trusted
    login_window_minutes: int = 15
    login_max_failures_user: int = 5
    login_max_failures_address: int = 20
    province_name: str = "Tây Ninh"
    targets: Targets = Field(default_factory=Targets)
    criteria_766: dict[str, Criterion766] = Field(default_factory=_criteria_766)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
