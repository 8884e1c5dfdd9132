//! Runtime modes and validation options (upstream
//! `pkg/machinery/config/validation` and machined's runtime modes).

use std::fmt;
use std::str::FromStr;

use talgen_contract::Contract;

use crate::error::Error;

/// Where the node runs; some rules depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Bare metal or a VM booted from an installer image: needs an install section.
    Metal,
    /// A cloud image that is already installed.
    Cloud,
    /// Talos running as a container (`talosctl cluster create` with docker).
    Container,
    /// Metal agent mode (a booted, never installed node driven by an
    /// external agent); validated like cloud.
    MetalAgent,
}

impl Mode {
    /// Every mode talosctl accepts.
    pub const ALL: [Mode; 4] = [Mode::Metal, Mode::Cloud, Mode::Container, Mode::MetalAgent];

    /// Whether the machine installs itself to disk (only metal does).
    pub fn requires_install(self) -> bool {
        self == Mode::Metal
    }

    /// Whether the machine runs inside a container.
    pub fn in_container(self) -> bool {
        self == Mode::Container
    }

    /// The lower-case name talosctl uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Metal => "metal",
            Mode::Cloud => "cloud",
            Mode::Container => "container",
            Mode::MetalAgent => "metal-agent",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| Error::UnknownMode(s.to_owned()))
    }
}

/// How to validate, beyond the mode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Turn the v1alpha1 document's warnings into errors (talosctl `--strict`).
    pub strict: bool,
    /// The Talos release whose Kubernetes support window images are checked
    /// against; defaults to the release talgen tracks (v1.14).
    pub talos_version: Contract,
    /// Leave Kubernetes image versions unchecked, as `talosctl validate`
    /// does (upstream "local" validation).
    pub skip_kubernetes_versions: bool,
}

impl Options {
    /// The release talgen's validator tracks by default.
    pub const TRACKED_RELEASE: Contract = Contract::V1_14;
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            talos_version: Self::TRACKED_RELEASE,
            skip_kubernetes_versions: false,
        }
    }
}
