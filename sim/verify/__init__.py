"""Verification (DESIGN 6): the plain-numpy twins of the compiled kernels and the cases that hold the
model to exact solutions and to its own bookkeeping. `footsim verify` prints `all_cases()`."""

from .cases import Case


def all_cases() -> list[Case]:
    """Every verification case: contact and runner (`cases`), then the tissue law's (`tissue`)."""
    from . import cases, tissue

    return cases.all_cases() + tissue.all_tissue_cases()


__all__ = ["Case", "all_cases"]
