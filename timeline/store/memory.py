"""Memory a full read of the store freed, given back to the system before the next step.

A read of every row allocates and frees batch after batch; the allocators
(Arrow's pool, glibc's heap) keep what was freed for later use, so without
this the next step's memory would stack on top of the read's.
"""

from __future__ import annotations

import ctypes
import sys


def give_back() -> None:
    """Return freed memory to the system: Arrow's pool releases unused pages, glibc trims its heap (where the C
    library is glibc; elsewhere nothing happens)."""
    if "pyarrow" in sys.modules:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


_TRIM: list = []


def _malloc_trim():
    if not _TRIM:
        try:
            _TRIM.append(ctypes.CDLL(None).malloc_trim)
        except (OSError, AttributeError):  # not glibc
            _TRIM.append(None)
    return _TRIM[0]
