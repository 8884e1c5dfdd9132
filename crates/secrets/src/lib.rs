//! Talos secrets bundles: generation per version contract and the
//! `secrets.yaml` format of `talosctl gen secrets`, byte for byte.
//!
//! Ports `pkg/machinery/config/generate/secrets` (bundle.go, ca.go,
//! utils.go, clock.go). A [`Bundle`] holds the cluster id and secret, the
//! bootstrap and trustd tokens, one encryption secret, the etcd,
//! Kubernetes, aggregator and OS CAs and the service-account key, all as
//! the PEM bytes Talos stores.
//!
//! It does not generate machine configs or client credentials; it only
//! exposes the CAs ([`Bundle::os_ca`] and friends) those are issued from.
//!
//! Loading keeps leading `#` comment lines ([`Bundle::head_comment`]) and
//! writes them back, so a hand-annotated bundle round-trips exactly;
//! `talosctl` itself would drop them.
//!
//! ```
//! use talgen_contract::Contract;
//! use talgen_secrets::{Bundle, Clock};
//!
//! let bundle = Bundle::generate(Contract::V1_6, Clock::fixed_now())?;
//! let text = bundle.to_yaml()?;
//! assert!(text.starts_with("cluster:\n    id: "));
//! assert_eq!(Bundle::from_yaml(&text)?, bundle);
//! # Ok::<(), talgen_secrets::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod bundle;
mod clock;
mod error;
mod from_config;
mod generate;

pub use bundle::{
    Bundle, CertAndKey, Certs, Cluster, KeyPem, Secrets, TrustdInfo, ValidationScope, REDACTED,
};
pub use clock::Clock;
pub use error::{Error, Problem, ProblemKind};
pub use generate::generate_token;

/// Hooks for the fuzz targets; not part of the API.
#[doc(hidden)]
pub mod internal {
    use crate::Bundle;

    /// Loads arbitrary bytes as `secrets.yaml`; whatever loads must write
    /// back and reload to the same bundle. Must never panic otherwise.
    // A fuzz hook reports a broken round trip by panicking.
    #[allow(clippy::panic)]
    pub fn fuzz_load(data: &[u8]) {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let _ = Bundle::from_yaml(text);
        if let Ok(bundle) = Bundle::from_yaml_unvalidated(text) {
            let written = bundle.to_yaml();
            let Ok(written) = written else {
                panic!("a loaded bundle failed to encode: {written:?}");
            };
            match Bundle::from_yaml_unvalidated(&written) {
                Ok(again) => assert!(again == bundle, "round trip changed the bundle:\n{written}"),
                Err(e) => panic!("written bundle does not load: {e}\n{written}"),
            }
        }
    }
}
