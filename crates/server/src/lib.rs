//! The nocloud-net config server behind `talgen serve`: it answers each
//! Proxmox VM's `meta-data`, `network-config` and `user-data` from a
//! database of clusters and devices, and offers an admin API to manage
//! them.
//!
//! Devices authenticate with a per-device secret carried in their SMBIOS
//! seed URL (stored only as an HMAC-SHA-256 under a server key); every
//! rendered file set is an immutable, numbered revision; cluster secrets
//! and rendered files are sealed at rest with a data key per cluster,
//! wrapped by the operator's master key. Rendering is the fleet model's
//! pipeline, so a device gets the bytes `talgen gen fleet` writes.
//!
//! It serves plain HTTP ([`http::serve`]) or terminates TLS itself
//! ([`tls::serve_tls`], certificate and key from PEM files, reloadable).
//! It does not read patch files named by API callers.
//!
//! ```
//! use std::sync::Arc;
//! use talgen_server::{crypto::MasterKey, service::{Service, ServiceConfig}, store::sqlite::SqliteStore};
//!
//! let store = Arc::new(SqliteStore::in_memory().unwrap());
//! let service = Service::open(store, MasterKey::generate().unwrap(), ServiceConfig::default()).unwrap();
//! let router = talgen_server::http::router(service.clone(), "/nocloud");
//! # drop(router);
//! service.shutdown();
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

pub mod apply;
pub mod crypto;
mod diff;
pub mod error;
pub mod http;
pub mod id;
pub mod metrics;
pub mod model;
pub mod openapi;
pub mod render;
pub mod secret;
pub mod service;
pub mod store;
pub mod tls;

pub use error::ApiError;
pub use service::{Service, ServiceConfig};
