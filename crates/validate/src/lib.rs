//! Semantic validation of Talos machine configs: the checks Talos runs on a
//! loaded config before it accepts it, for a given runtime mode.
//!
//! Ports `pkg/machinery/config/types/v1alpha1/v1alpha1_validation.go`, the
//! `Validate` and `V1Alpha1ConflictValidate` methods of the multi-document
//! kinds under `pkg/machinery/config/types/`, the cross-document rules of
//! `pkg/machinery/config/container/validate.go` and the Kubernetes version
//! windows of `pkg/machinery/compatibility`. Loading and syntax errors are
//! the job of `talgen-config`; this crate judges a config that loaded. It
//! never looks at a running machine (upstream `RuntimeValidate` is not
//! ported): disks are not matched, files are not read. Certificates and
//! keys are parsed with `talgen-pki` where upstream loads them; CEL disk,
//! volume and link selectors get a conservative syntax, name and result
//! check (not cel-go's full type check), OOM expressions only a presence
//! check, and OCI runtime spec overrides only the JSON shape of the fields
//! Talos decodes.
//!
//! Every problem found is reported, errors and warnings apart, in a stable
//! order (the order Talos checks them in).
//!
//! ```
//! use talgen_validate::{validate, Mode, Options};
//!
//! let yaml = "version: v1alpha1\nmachine:\n  type: worker\n";
//! let config = talgen_config::load(yaml).unwrap();
//! let report = validate(&config, Mode::Metal, &Options::default());
//! assert!(!report.is_valid());
//! assert!(report.errors.iter().any(|p| p.message.contains("cluster")));
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod cel;
mod container;
mod documents;
mod error;
mod image_ref;
mod kubernetes_compat;
mod labels;
mod mode;
mod net;
mod pem;
mod raw;
mod report;
mod v1alpha1;

pub use error::Error;
pub use kubernetes_compat::{kubernetes_window, KubernetesVersion, VersionCore};
pub use mode::{Mode, Options};
pub use report::{Problem, Report, Severity};

use talgen_config::Container;

/// Validates a loaded config for a runtime mode, returning every error and
/// warning found (upstream `Container.Validate`, run from outside a node).
///
/// Kubernetes image versions are judged against `options.talos_version`
/// unless `options.skip_kubernetes_versions` is set.
pub fn validate(config: &Container, mode: Mode, options: &Options) -> Report {
    validate_with(config, mode, options, &raw::NullEntries::default())
}

/// [`validate`], knowing which v1alpha1 entries the text wrote as `null`.
fn validate_with(
    config: &Container,
    mode: Mode,
    options: &Options,
    nulls: &raw::NullEntries,
) -> Report {
    let mut report = Report::default();
    if let Some(cfg) = config.v1alpha1() {
        v1alpha1::validate(cfg, mode, options, nulls, &mut report);
    }
    for doc in config.documents() {
        documents::validate(doc, mode, options, &mut report);
    }
    if let Some(cfg) = config.v1alpha1() {
        for doc in config.documents() {
            documents::conflicts(doc, cfg, &mut report);
        }
    }
    container::validate(config, mode, &mut report);
    report
}

/// Loads a config stream and validates it; load failures come back as
/// [`Error::Load`].
///
/// Unlike [`validate`], this also sees what the typed model forgets: a
/// `machine.disks` entry or a `machine.registries` map entry written as
/// `null` is an error, as in Talos.
pub fn validate_str(input: &str, mode: Mode, options: &Options) -> Result<Report, Error> {
    let config = talgen_config::load(input).map_err(Error::Load)?;
    Ok(validate_with(
        &config,
        mode,
        options,
        &raw::null_entries(input),
    ))
}
