"""Why a whole file is refused, in words an export operator can act on."""
from __future__ import annotations


class RefusedFile(Exception):
    """A file that cannot be loaded at all; nothing of its batch is applied."""

    def __init__(self, file: str, problem_vi: str, problem_en: str) -> None:
        self.file = file
        self.problem_vi = problem_vi
        self.problem_en = problem_en
        super().__init__(f"{file}: {problem_vi} / {problem_en}")
