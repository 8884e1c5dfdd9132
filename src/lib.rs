//! talgen: Talos Linux machine configuration, generated in Rust and
//! byte-identical to what Talos's own Go machinery writes.
//!
//! This facade re-exports the focused crates, each usable alone, and puts
//! the paved path at its root: a secrets [`Bundle`] for a version
//! [`Contract`], a whole cluster's configs from a [`ConfigBundle`]
//! (patched in Talos's order), the typed documents of a [`Container`],
//! [`Patch`]es parsed from text without touching the file system, and a
//! validation [`Report`].
//!
//! The `talgen` binary is behind the default `cli` feature; a library user
//! depends on `talgen = { version = "…", default-features = false }` and
//! gets no argument parser, no error-report crate, no JSON Schema deriving.
//!
//! From a secrets bundle to a patched worker config:
//!
//! ```
//! use talgen::{
//!     parse_patch, validate, Bundle, BundleOptions, Clock, ConfigBundle, Contract, Mode,
//!     ValidateOptions,
//! };
//!
//! // A bundle as `talgen gen secrets` writes it (here made in memory; a
//! // program would read its secrets.yaml and call `Bundle::from_yaml`).
//! let contract: Contract = "v1.6".parse()?;
//! let secrets = Bundle::from_yaml(&Bundle::generate(contract, Clock::fixed_now())?.to_yaml()?)?;
//!
//! let mut options = BundleOptions::talosctl();
//! options.generate.contract = contract;
//! options.generate.secrets = Some(secrets);
//! options.worker_patches.push(parse_patch(
//!     b"machine:\n  install:\n    disk: /dev/vda\n  nodeLabels:\n    store: \"0001\"\n",
//! )?);
//!
//! let cluster = ConfigBundle::new("store-0001", "https://10.1.0.10:6443", "1.32.0", options)?;
//! let worker = cluster.worker();
//! assert!(worker.as_str().contains("    disk: /dev/vda\n"));
//! assert!(worker.as_str().contains("store: \"0001\"\n"));
//!
//! // The typed documents are at hand too, e.g. for validation.
//! let report = validate(worker.container(), Mode::Metal, &ValidateOptions::default());
//! assert!(report.is_valid(), "{:?}", report.errors);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

pub use talgen_client as client;
pub use talgen_config as config;
pub use talgen_contract as contract;
pub use talgen_fleet as fleet;
pub use talgen_generate as generate;
pub use talgen_gourl as gourl;
pub use talgen_nocloud as nocloud;
pub use talgen_patch as patch;
pub use talgen_pki as pki;
pub use talgen_secrets as secrets;
pub use talgen_validate as validate;
pub use talgen_yaml as yaml;

pub use talgen_config::{load_bytes, Container};
pub use talgen_contract::Contract;
pub use talgen_generate::{
    BundleError, BundleOptions, ConfigBundle, MachineConfig, MachineType, Options, PatchStage,
};
pub use talgen_patch::{apply, parse_patch, parse_patches, Patch, PatchError};
pub use talgen_secrets::{Bundle, Clock};
pub use talgen_validate::{
    validate, validate_str, Mode, Options as ValidateOptions, Problem, Report,
};
