//! talgen: Talos Linux machine configuration, generated in Rust and
//! byte-identical to what Talos's own Go machinery writes.
//!
//! This facade re-exports the focused crates; each can be used alone.
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

pub use talgen_client as client;
pub use talgen_config as config;
pub use talgen_contract as contract;
pub use talgen_generate as generate;
pub use talgen_gourl as gourl;
pub use talgen_nocloud as nocloud;
pub use talgen_patch as patch;
pub use talgen_pki as pki;
pub use talgen_secrets as secrets;
pub use talgen_validate as validate;
pub use talgen_yaml as yaml;
