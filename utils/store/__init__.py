"""Layer 3: the Dataset and where its versions live.

`from utils import store` gives the store API; callers never know the backend behind it.
"""
from utils.store.files import *  # noqa: F403
from utils.store.files import (  # noqa: F401
    DEFAULT_STORE,
    KEEP_VERSIONS,
    PROJECT_ROOT,
    SAMPLE_DIR,
    SAMPLE_NAME,
    STORE_ENV,
    StoreError,
    VersionInfo,
    _version_files,
    delete_version,
    list_datasets,
    list_versions,
    load,
    read_gpkg,
    sample_path,
    save,
    slugify,
    store_root,
    write_gpkg,
)
