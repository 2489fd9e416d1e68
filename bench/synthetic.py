"""N synthetic dossiers as one shape-A CSV export, vectorised (1M rows in a few seconds)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

from common.settings import get_settings

REFORM = datetime(2025, 7, 1).timestamp()  # codes of the 2024 list before, of the 2025 list from then on

STATUS = {2: "Đã tiếp nhận", 4: "Đang xử lý", 9: "Đã có kết quả", 10: "Đã trả kết quả", 7: "Công dân rút"}


def province_units(list_file: str, provinces: tuple[str, ...]) -> list[str]:
    """The codes of ``provinces`` and every unit below them in one reference list."""
    units = pl.read_csv(get_settings().reference_dir / list_file, infer_schema=False)
    codes, level = list(provinces), list(provinces)
    while level:
        level = units.filter(pl.col("parent_code").is_in(level))["code"].to_list()
        codes += level
    return codes


def unit_codes(received: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Today's Tây Ninh as it was coded: old Tây Ninh (72) and old Long An (80) units before 1 July 2025,
    today's province 80 and its communes since."""
    old = np.array(province_units("admin_units_2024.csv", ("72", "80")))
    new = np.array(province_units("admin_units_2025.csv", ("80",)))
    return np.where(received < REFORM, old[rng.integers(0, len(old), len(received))],
                    new[rng.integers(0, len(new), len(received))])


def procedures(rng: np.random.Generator, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code, name, field) of each dossier, drawn from the demo's catalogue (``etl.demo_catalogue``, loaded
    beside the export by the benchmark) with falling weights: a few procedures take most dossiers."""
    from etl.demo_catalogue import build

    entries = [e for e in build(72).entries if not e.new and not e.unpublished]
    weights = 1 / np.arange(1, len(entries) + 1) ** 1.1
    drawn = rng.choice(len(entries), rows, p=weights / weights.sum())
    return tuple(np.array([getattr(e, key) for e in entries])[drawn] for key in ("code", "name", "field"))


def write_export(path: Path, rows: int, seed: int = 1) -> Path:
    rng = np.random.default_rng(seed)
    codes, names, fields = procedures(rng, rows)
    start = datetime(2019, 1, 1).timestamp()
    span = datetime(2026, 10, 31).timestamp() - start
    received = np.sort(start + rng.random(rows) * span)
    due = received + rng.integers(1, 20, rows) * 86400
    resolved = rng.random(rows) < 0.97
    end = received + rng.gamma(2.0, 3.0, rows) * 86400
    status = np.where(resolved, rng.choice([9, 10, 7], rows, p=[0.6, 0.39, 0.01]), rng.choice([2, 4], rows))
    units = unit_codes(received, rng)
    fee = np.where(rng.random(rows) < 0.4, rng.choice([10000, 30000, 50000, 100000, 500000], rows), 0)

    def fmt(seconds: np.ndarray) -> pl.Series:
        return pl.Series((seconds * 1e6).astype("datetime64[us]")).dt.strftime("%d/%m/%Y %H:%M:%S")

    frame = pl.DataFrame({
        "Mã hồ sơ": [f"B{i:09d}" for i in range(rows)],
        "Mã TTHC": codes,
        "Tên TTHC": names,
        "Lĩnh vực": fields,
        "Cơ quan giải quyết": "UBND",
        "Cấp giải quyết": rng.choice(["Tỉnh", "Huyện", "Xã"], rows, p=[0.2, 0.3, 0.5]),
        "Mã ĐVHC": units,
        "Kênh nộp": rng.choice(["Trực tiếp", "Trực tuyến", "BCCI"], rows, p=[0.55, 0.43, 0.02]),
        "Mức độ DVC": rng.choice(["Toàn trình", "Một phần", ""], rows),
        "Ngày tiếp nhận": fmt(received),
        "Ngày hẹn trả": fmt(due),
        "Ngày có kết quả": fmt(end).zip_with(pl.Series(resolved), pl.Series([None] * rows, dtype=pl.String)),
        "Ngày trả kết quả": None,
        "Trạng thái": pl.Series(status).replace_strict(STATUS, return_dtype=pl.String),
        "Phí, lệ phí": fee,
        "Hình thức thanh toán": np.where(fee > 0, rng.choice(["Tiền mặt", "Chuyển khoản", "Trực tuyến"], rows), ""),
        "Số hóa": rng.choice(["Có", "Không"], rows),
        "Mức độ hài lòng": rng.choice(["", "Rất hài lòng", "Hài lòng", "Không hài lòng"], rows, p=[0.6, 0.2, 0.17, 0.03]),
    })
    frame.write_csv(path)
    return path


if __name__ == "__main__":  # python -m bench.synthetic PATH ROWS [SEED]
    import sys

    write_export(Path(sys.argv[1]), int(sys.argv[2]), *(int(a) for a in sys.argv[3:4]))
