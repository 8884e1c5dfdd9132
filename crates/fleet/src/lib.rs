//! The fleet model: one YAML file describing many Talos clusters and their
//! nodes (endpoint, version contract, Kubernetes version, installer,
//! patches; per node its role, disk, network, seed URL and VM id), loaded
//! with errors that name the file, cluster, node, field and line, and
//! validated (unique DNS-label cluster names, unique host names, networks,
//! patches) before anything is rendered.
//!
//! Parsing touches no file; [`read_patch`] reads the `@file` patches the
//! fleet names, relative to the fleet file, and [`dir::write_fleet_dir`]
//! writes a whole fleet into a directory tree. [`FleetStream`] reads a fleet
//! file one cluster at a time (after one pass checking its syntax), so
//! [`dir::write_fleet_stream`] renders fleets of any size in constant
//! memory.
//!
//! ```
//! use talgen_fleet::{Fleet, Role};
//!
//! let text = "
//! defaults:
//!   talosVersion: v1.13
//!   kubernetesVersion: 1.35.0
//! clusters:
//!   - name: store-0001
//!     endpoint: https://10.1.0.10:6443
//!     nodes:
//!       - hostname: store-0001-cp1
//!         role: controlplane
//!         network: {ip: 10.1.0.11/24, gateway: 10.1.0.1, dns: [10.1.0.1]}
//! ";
//! let fleet = Fleet::parse(text, "fleet.yaml").unwrap();
//! assert!(fleet.rejected.is_empty());
//! let cluster = &fleet.clusters[0];
//! assert_eq!(cluster.contract.to_string(), "v1.13");
//! assert_eq!(cluster.nodes[0].role, Role::ControlPlane);
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

pub mod dir;
mod error;
pub mod file;
mod model;
mod render;
#[cfg(feature = "schema")]
pub mod schema;

pub use error::{FleetError, Location};
pub use model::{read_patch, Cluster, Fleet, FleetStream, Node, PatchRef, PatchSource, Role};
pub use render::{render_cluster, NodeArtifacts, RenderError, RenderedCluster, Smbios};
