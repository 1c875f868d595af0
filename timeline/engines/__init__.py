"""Query engines beyond the local one (``timeline.query``), each an optional extra that the core never imports.

``dask``: the same filter over a Parquet dataset store, one task per file, on a Dask cluster
(``pip install -e '.[cluster]'``).
"""

ENGINES = ("local", "dask")
