"""A Parquet dataset folder as an event store: ``layout`` (the folder, reading, writing files),
``append`` (new events as new files) and ``validate`` (the store's rules, file by file)."""

from timeline.store.dataset.append import append_to_dataset, store_imported
from timeline.store.dataset.layout import (
    MARKER,
    ParquetDataset,
    dataset_actors_path,
    is_dataset,
    query_files,
    write_dataset,
)
from timeline.store.dataset.validate import validate_dataset

__all__ = [
    "MARKER",
    "ParquetDataset",
    "append_to_dataset",
    "dataset_actors_path",
    "is_dataset",
    "query_files",
    "store_imported",
    "validate_dataset",
    "write_dataset",
]
