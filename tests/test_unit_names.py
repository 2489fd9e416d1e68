"""How dossier lists name the unit a dossier counts in: never a raw pseudo-unit code."""
from __future__ import annotations

from datetime import datetime

from warehouse.units import display_name


def test_pseudo_units_are_named_in_words_in_both_languages():
    assert display_name(None, "_unknown") == "Không xác định"
    assert display_name(None, "_unknown", "en") == "Unknown unit"
    assert display_name(None, "_new_units") == "Theo đơn vị mới"
    assert display_name("Phường Tân Ninh", "25459") == "Phường Tân Ninh"
    assert display_name(None, "25459") == "25459"  # a real code without a name stays readable as itself


def test_the_overdue_list_shows_an_unknown_unit_in_words():
    from dashboards.views.early_warning import _rows

    moment = datetime(2026, 11, 30, 9)
    [row] = _rows([{"dossier_id": "X", "procedure_name": "P", "field": "Hộ tịch", "agency": "UBND", "unit_name": None,
                    "unit_code": "_unknown", "received_at": moment, "due_at": moment, "days_overdue": 3,
                    "hours_left": -72.0}], "vi")
    assert row["unit_name"] == "Không xác định"
