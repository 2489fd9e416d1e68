"""Matching of headers and coded values the way people type them.

``Mã hồ sơ``, ``MA HO SO`` and ``ma_ho_so`` are the same column; ``Đã trả kết quả``
and ``da tra ket qua`` the same status. One normalisation serves both.
"""
from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Spaces or punctuation between two digits keep the numbers apart: "1.0" or "1 0" is not the code "10".
_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[^0-9a-z]+(?=[0-9])")


def match_key(text: str) -> str:
    """Lower case, no Vietnamese diacritics, no spaces or punctuation (except "|" between two numbers)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "|".join(_NON_ALNUM.sub("", part) for part in _BETWEEN_DIGITS.split(stripped.lower()))
