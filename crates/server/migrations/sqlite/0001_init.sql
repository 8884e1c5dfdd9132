CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE clusters (
    name               TEXT PRIMARY KEY,
    endpoint           TEXT NOT NULL,
    talos_version      TEXT NOT NULL,
    kubernetes_version TEXT NOT NULL,
    install_image      TEXT,
    source_cidrs       TEXT NOT NULL,
    key_id             TEXT NOT NULL,
    wrapped_key        BLOB NOT NULL,
    patches            BLOB NOT NULL,
    secrets            BLOB,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    cluster     TEXT NOT NULL REFERENCES clusters(name) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    hostname    TEXT NOT NULL UNIQUE,
    state       TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    spec        BLOB NOT NULL,
    revision    INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX devices_cluster ON devices(cluster);
CREATE TABLE revisions (
    device         TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    inputs_sha256  TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    user_data_sha256      TEXT NOT NULL,
    meta_data_sha256      TEXT NOT NULL,
    network_config_sha256 TEXT NOT NULL,
    inputs         BLOB NOT NULL,
    user_data      BLOB NOT NULL,
    meta_data      BLOB NOT NULL,
    network_config BLOB NOT NULL,
    reason         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (device, number)
);
CREATE TABLE fetches (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    device   TEXT NOT NULL,
    at       INTEGER NOT NULL,
    source   TEXT NOT NULL,
    file     TEXT NOT NULL,
    revision INTEGER,
    status   INTEGER NOT NULL
);
CREATE INDEX fetches_device ON fetches(device, id);
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE tokens (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
