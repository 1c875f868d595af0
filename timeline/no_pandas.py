"""pyarrow without pandas: a command that never builds a DataFrame need not load it (~0.15-0.3 s, ~35 MB)."""

from __future__ import annotations


def keep_pandas_out() -> None:
    """Stop pyarrow importing pandas (~0.15 s, ~35 MB) merely to ask whether a value is a pandas object.

    pyarrow looks for pandas the first time it converts any Python value.  If
    pandas is not loaded yet, let that first look fail: pyarrow then treats
    values as plain Python ones, and still imports pandas when it truly needs
    it (``Table.to_pandas``), so ``EventStore.query`` is unaffected.  Call it before
    pyarrow first converts a Python value; it does nothing once pandas is loaded.
    """
    import sys

    if "pandas" in sys.modules:
        return

    class _NoPandas:
        def find_spec(self, name, path=None, target=None):
            if name == "pandas":
                raise ImportError("pandas is not needed here")

    import pyarrow as pa

    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(blocker)
