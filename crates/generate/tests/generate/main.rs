//! Integration tests of config generation: upstream goldens, upstream
//! schemas, and per-option / per-contract behaviour the goldens do not reach.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bundle;
mod endpoints;
mod options;
mod render;
mod roundtrip;
mod schema;
mod stability;
