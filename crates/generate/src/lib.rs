//! Generates Talos machine configs (init, controlplane, worker) for any
//! version contract from v1.0 to v1.15, byte for byte as Talos's
//! `pkg/machinery/config/generate` does.
//!
//! An [`Input`] takes the cluster name, the control-plane endpoint, the
//! Kubernetes version and [`Options`] (one field per upstream `With*`
//! option). Each contract decides, through `talgen_contract` predicates,
//! which legacy v1alpha1 fields are filled and which separate documents
//! are written; [`contract_rules`] lists them.
//!
//! [`ConfigBundle`] is the whole cluster in one call, as `talosctl gen
//! config` makes it: endpoint and version checks, the three configs patched
//! in upstream order (common, control plane, worker), and the talosconfig
//! and admin kubeconfig issued from the same secrets.
//!
//! ```
//! use talgen_generate::{BundleOptions, ConfigBundle};
//!
//! let mut options = BundleOptions::talosctl();
//! options.generate.contract = "v1.6".parse().unwrap();
//! options.worker_patches.push(
//!     talgen_patch::parse_patch(b"machine: {env: {ROLE: worker}}").unwrap(),
//! );
//! let bundle =
//!     ConfigBundle::new("demo", "https://10.0.0.1:6443", "v1.32.0", options).unwrap();
//! let worker = bundle.worker().as_str();
//! assert!(worker.contains("image: ghcr.io/siderolabs/kubelet:v1.32.0\n"));
//! assert!(worker.contains("ROLE: worker\n"));
//! assert!(!bundle.control_plane().as_str().contains("ROLE: worker"));
//! let talosconfig = bundle.talosconfig().unwrap();
//! assert_eq!(talosconfig.context, "demo");
//! ```
//!
//! The lower-level [`Input`] renders one config without patches or
//! checks; validating configs is `talgen-validate`'s job and doc comments
//! are never written.
//!
//! ```
//! use talgen_generate::{Input, MachineType, Options};
//!
//! // No secrets in the options: a new bundle is made for the contract.
//! let mut opts = Options::default();
//! opts.contract = "v1.6".parse().unwrap();
//! opts.install_disk = "/dev/sda".into();
//! let input = Input::new("demo", "https://10.0.0.1:6443", "1.32.0", opts).unwrap();
//! let worker_yaml = input.render(MachineType::Worker).unwrap();
//! assert!(worker_yaml.starts_with("version: v1alpha1\n"));
//! assert!(worker_yaml.contains("    type: worker\n"));
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod bundle;
mod cache;
pub mod constants;
pub mod contract_rules;
mod documents;
mod endpoint;
mod error;
mod generate;
mod input;
mod k8s_defaults;
mod kubernetes;
mod legacy;
mod multidoc;
mod options;
mod secrets;

pub use bundle::{BundleError, BundleOptions, ConfigBundle, MachineConfig, PatchStage};
pub use endpoint::{validate_cluster_endpoint, EndpointError};
pub use error::Error;
pub use input::{Input, MachineType};
pub use options::{NetworkOption, Options};
pub use talgen_gourl::{GoUrl, UrlError};

/// Hooks for the fuzz targets; not a stable API.
#[doc(hidden)]
pub mod internal {
    /// Checks that endpoint validation never panics and that printing a
    /// parsed URL with a scheme and host (the only kind generation prints)
    /// is stable: reparsing the printed form prints it again. Relative URLs
    /// are exempt: as in Go, a path such as `%2f/x` prints as `//x`, which
    /// reads back as a host.
    ///
    /// # Panics
    /// When printing is not stable.
    pub fn url_roundtrip(text: &str) {
        let _ = crate::validate_cluster_endpoint(text);
        if let Ok(url) = crate::GoUrl::parse(text) {
            if url.scheme.is_empty() || url.host.is_empty() {
                return;
            }
            let once = url.to_string();
            let again = crate::GoUrl::parse(&once).map(|u| u.to_string());
            assert_eq!(
                again.as_deref(),
                Ok(once.as_str()),
                "unstable print of {text:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        // Endpoint validation never panics and printed URLs are stable.
        #[test]
        fn printing_is_stable(text in "[a-zA-Z0-9:/?#\\[\\]@%. é+-]{0,32}") {
            crate::internal::url_roundtrip(&text);
        }
    }
}
