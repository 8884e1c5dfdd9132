CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);
CREATE TABLE clusters (
    name               TEXT PRIMARY KEY,
    endpoint           TEXT NOT NULL,
    talos_version      TEXT NOT NULL,
    kubernetes_version TEXT NOT NULL,
    install_image      TEXT,
    source_cidrs       TEXT NOT NULL,
    key_id             TEXT NOT NULL,
    wrapped_key        BYTEA NOT NULL,
    patches            BYTEA NOT NULL,
    secrets            BYTEA,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    cluster     TEXT NOT NULL REFERENCES clusters(name) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    hostname    TEXT NOT NULL UNIQUE,
    state       TEXT NOT NULL,
    secret_hash BYTEA NOT NULL,
    spec        BYTEA NOT NULL,
    revision    BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX devices_cluster ON devices(cluster);
CREATE TABLE revisions (
    device         TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    number         BIGINT NOT NULL,
    inputs_sha256  TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    user_data_sha256      TEXT NOT NULL,
    meta_data_sha256      TEXT NOT NULL,
    network_config_sha256 TEXT NOT NULL,
    inputs         BYTEA NOT NULL,
    user_data      BYTEA NOT NULL,
    meta_data      BYTEA NOT NULL,
    network_config BYTEA NOT NULL,
    reason         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (device, number)
);
CREATE TABLE fetches (
    id       BIGSERIAL PRIMARY KEY,
    device   TEXT NOT NULL,
    at       BIGINT NOT NULL,
    source   TEXT NOT NULL,
    file     TEXT NOT NULL,
    revision BIGINT,
    status   INTEGER NOT NULL
);
CREATE INDEX fetches_device ON fetches(device, id);
CREATE TABLE audit (
    id     BIGSERIAL PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE tokens (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    hash       BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
