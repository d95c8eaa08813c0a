-- KOTAKU shared store, schema version 1: datasets, version history, metadata, the data tables.
-- Applied by utils/store/postgis.py at start-up (never by hand), inside one transaction.
-- Every data row is keyed by (dataset, version); a version's rows hang off its metadata row, so
-- pruning a version is one DELETE on kotaku.metadata. The history (kotaku.versions) is never pruned.

CREATE SCHEMA IF NOT EXISTS kotaku;
CREATE SCHEMA IF NOT EXISTS kotaku_latest;  -- one view per dataset layer, always the latest version

CREATE TABLE kotaku.datasets (
    name text PRIMARY KEY,
    last_version integer NOT NULL DEFAULT 0,  -- numbers are never reused, even after a delete
    created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE kotaku.versions (
    dataset text NOT NULL REFERENCES kotaku.datasets (name) ON DELETE CASCADE,
    version integer NOT NULL,
    saved text NOT NULL,
    author text NOT NULL DEFAULT '',
    note text NOT NULL DEFAULT '',
    changes json NOT NULL DEFAULT '{}',  -- json, not jsonb: keeps the order the history lists
    display_name text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'draft',
    based_on integer,
    restored_from integer,
    written timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, version)
);

CREATE TABLE kotaku.metadata (
    dataset text NOT NULL,
    version integer NOT NULL,
    meta jsonb NOT NULL,
    layers jsonb NOT NULL,  -- per table: column names and dtypes, geometry column, CRS
    PRIMARY KEY (dataset, version),
    FOREIGN KEY (dataset, version) REFERENCES kotaku.versions ON DELETE CASCADE
);

CREATE TABLE kotaku.kelurahan (
    dataset text NOT NULL,
    version integer NOT NULL,
    fid integer NOT NULL,
    kode_kel text,
    kelurahan text,
    kode_kec text,
    kecamatan text,
    attrs jsonb NOT NULL,
    single boolean NOT NULL DEFAULT false,  -- stored as MultiPolygon, given back as the Polygon it was
    geom geometry(MultiPolygon, 4326),
    PRIMARY KEY (dataset, version, fid),
    FOREIGN KEY (dataset, version) REFERENCES kotaku.metadata ON DELETE CASCADE
);
CREATE INDEX kelurahan_geom_gix ON kotaku.kelurahan USING gist (geom);

CREATE TABLE kotaku.kecamatan (
    dataset text NOT NULL,
    version integer NOT NULL,
    fid integer NOT NULL,
    kode_kec text,
    kecamatan text,
    attrs jsonb NOT NULL,
    single boolean NOT NULL DEFAULT false,
    geom geometry(MultiPolygon, 4326),
    PRIMARY KEY (dataset, version, fid),
    FOREIGN KEY (dataset, version) REFERENCES kotaku.metadata ON DELETE CASCADE
);
CREATE INDEX kecamatan_geom_gix ON kotaku.kecamatan USING gist (geom);

CREATE TABLE kotaku.kawasan (
    dataset text NOT NULL,
    version integer NOT NULL,
    fid integer NOT NULL,
    kawasan_id text,
    kawasan text,
    kode_kel text,
    attrs jsonb NOT NULL,
    single boolean NOT NULL DEFAULT false,
    geom geometry(MultiPolygon, 4326),
    PRIMARY KEY (dataset, version, fid),
    FOREIGN KEY (dataset, version) REFERENCES kotaku.metadata ON DELETE CASCADE
);
CREATE INDEX kawasan_geom_gix ON kotaku.kawasan USING gist (geom);

-- display layers (simplified outlines and the like): any geometry type, CRS in metadata.layers
CREATE TABLE kotaku.display_layers (
    dataset text NOT NULL,
    version integer NOT NULL,
    layer text NOT NULL,
    fid integer NOT NULL,
    attrs jsonb NOT NULL,
    geom geometry,
    PRIMARY KEY (dataset, version, layer, fid),
    FOREIGN KEY (dataset, version) REFERENCES kotaku.metadata ON DELETE CASCADE
);
CREATE INDEX display_layers_geom_gix ON kotaku.display_layers USING gist (geom);

-- plain tables: a few key columns typed (for SQL and QGIS), every column of the row in attrs
CREATE TABLE kotaku.assessments (
    dataset text NOT NULL,
    version integer NOT NULL,
    fid integer NOT NULL,
    year integer,
    kode_kel text,
    attrs jsonb NOT NULL,
    PRIMARY KEY (dataset, version, fid),
    FOREIGN KEY (dataset, version) REFERENCES kotaku.metadata ON DELETE CASCADE
);

CREATE TABLE kotaku.investments (LIKE kotaku.assessments INCLUDING ALL);
ALTER TABLE kotaku.investments
    ADD FOREIGN KEY (dataset, version) REFERENCES kotaku.metadata ON DELETE CASCADE;

CREATE TABLE kotaku.commitments (LIKE kotaku.assessments INCLUDING ALL);
ALTER TABLE kotaku.commitments
    ADD FOREIGN KEY (dataset, version) REFERENCES kotaku.metadata ON DELETE CASCADE;

-- the latest kept version of every dataset (the per-dataset views read it)
CREATE VIEW kotaku.latest AS
    SELECT dataset, max(version) AS version FROM kotaku.metadata GROUP BY dataset;
