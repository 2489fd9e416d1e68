"""Build the demo warehouse: generate a simulated province's exports, load them with the ordinary ETL."""
from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from tqdm import tqdm

from common.formats import decimal, number
from common.settings import get_settings
from etl.load import LoadReport, load_files


def build_demo(db: Path | str, *, today: date | None = None, exports_dir: Path | None = None,
               scale: float = 1.0, show_progress: bool = True) -> LoadReport:
    """Write the demo export files (both dossier shapes, and the service catalogue) and load them as one batch.

    The exports (about 1.3 GB for 2019 to 2026) go to a temporary folder removed
    afterwards, unless ``exports_dir`` asks to keep them; they can be regenerated
    in seconds. ``scale`` multiplies the simulated volumes (1 = the real province's).
    """
    from etl.demo_catalogue import generate_catalogues
    from etl.demo_data import generate_exports

    if exports_dir is None:
        with tempfile.TemporaryDirectory(prefix="ioc-demo-") as scratch:
            return build_demo(db, today=today, exports_dir=Path(scratch), scale=scale,
                              show_progress=show_progress)
    exports_dir.mkdir(parents=True, exist_ok=True)
    disable = not show_progress
    with tqdm(desc="Tạo tệp xuất mô phỏng", unit=" tháng", disable=disable, file=sys.stderr) as bar:
        def step(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        # The catalogue first: a dossier's procedure is then checked against it in the same load.
        files = generate_catalogues(exports_dir, seed=get_settings().demo_seed)
        files += generate_exports(exports_dir, today=today, seed=get_settings().demo_seed, scale=scale, progress=step)
    with tqdm(desc="Nạp vào kho dữ liệu", unit=" dòng", unit_scale=True, disable=disable, file=sys.stderr) as bar:
        report = load_files(db, files, progress=lambda rows: bar.update(rows - bar.n), meta={"simulated": "true"})
    if show_progress:
        print(f"Kho demo sẵn sàng: {number(report.rows_loaded)} dòng từ {len(files)} tệp, "
              f"{decimal(report.duration_s)} giây.", file=sys.stderr)
    return report
