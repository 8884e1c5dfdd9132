//! The plan that makes a server match a fleet file: which clusters and
//! devices to create, change or retire. Pure: it compares what is wanted
//! with what the server lists; `talgen fleet apply` does the HTTP.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::{
    ClusterCreate, ClusterUpdate, ClusterView, DeviceCreate, DeviceState, DeviceUpdate, DeviceView,
};

/// One step of a plan.
#[derive(Debug, Clone)]
pub enum Step {
    /// `POST /clusters`.
    CreateCluster(ClusterCreate),
    /// `PATCH /clusters/{name}` with the fields that differ.
    UpdateCluster {
        /// Cluster.
        name: String,
        /// The change.
        change: ClusterUpdate,
        /// What differs, for the plan's text.
        what: Vec<String>,
    },
    /// `POST /devices`.
    CreateDevice(DeviceCreate),
    /// `PATCH /devices/{id}` with the fields that differ.
    UpdateDevice {
        /// Device.
        id: String,
        /// The change.
        change: DeviceUpdate,
        /// What differs.
        what: Vec<String>,
    },
    /// `PATCH /devices/{id}` to `retired` (with `--prune`).
    RetireDevice(String),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::CreateCluster(c) => write!(
                f,
                "+ cluster {} ({}, Kubernetes {})",
                c.name, c.talos_version, c.kubernetes_version
            ),
            Step::UpdateCluster { name, what, .. } => {
                write!(f, "~ cluster {name}: {}", what.join(", "))
            }
            Step::CreateDevice(d) => write!(
                f,
                "+ device {} ({} in {})",
                d.id,
                d.role.as_str(),
                d.cluster
            ),
            Step::UpdateDevice { id, what, .. } => write!(f, "~ device {id}: {}", what.join(", ")),
            Step::RetireDevice(id) => write!(f, "- device {id} (retired)"),
        }
    }
}

/// Why no plan can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// A device is in another cluster on the server than in the file.
    #[error("device {id} is in cluster {have} on the server but {want} in the fleet file: delete it on the server first")]
    Moved {
        /// Device.
        id: String,
        /// Its cluster on the server.
        have: String,
        /// Its cluster in the file.
        want: String,
    },
    /// A cluster's contract differs and changing it was not allowed.
    #[error("cluster {name}: the server pins {have}, the fleet file asks for {want} (pass --allow-contract-change to force it)")]
    Contract {
        /// Cluster.
        name: String,
        /// Pinned contract.
        have: String,
        /// Asked contract.
        want: String,
    },
}

fn texts(values: &[serde_json::Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// The steps that make the server's `have` lists match `want`, clusters
/// first; `prune` retires devices the file no longer has.
///
/// # Errors
/// [`PlanError`] for changes the API cannot make.
pub fn plan(
    want_clusters: &[ClusterCreate],
    want_devices: &[DeviceCreate],
    have_clusters: &[ClusterView],
    have_devices: &[DeviceView],
    prune: bool,
    allow_contract_change: bool,
) -> Result<Vec<Step>, PlanError> {
    let have_c: BTreeMap<&str, &ClusterView> =
        have_clusters.iter().map(|c| (c.name.as_str(), c)).collect();
    let have_d: BTreeMap<&str, &DeviceView> =
        have_devices.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut steps = Vec::new();
    for w in want_clusters {
        let Some(h) = have_c.get(w.name.as_str()) else {
            steps.push(Step::CreateCluster(w.clone()));
            continue;
        };
        let mut change = ClusterUpdate::default();
        let mut what = Vec::new();
        if w.talos_version != h.talos_version {
            if !allow_contract_change {
                return Err(PlanError::Contract {
                    name: w.name.clone(),
                    have: h.talos_version.clone(),
                    want: w.talos_version.clone(),
                });
            }
            what.push(format!(
                "talosVersion {} -> {}",
                h.talos_version, w.talos_version
            ));
            change.talos_version = Some(w.talos_version.clone());
            change.force = true;
        }
        if w.endpoint != h.endpoint {
            what.push(format!("endpoint {} -> {}", h.endpoint, w.endpoint));
            change.endpoint = Some(w.endpoint.clone());
        }
        if w.kubernetes_version != h.kubernetes_version {
            what.push(format!(
                "kubernetesVersion {} -> {}",
                h.kubernetes_version, w.kubernetes_version
            ));
            change.kubernetes_version = Some(w.kubernetes_version.clone());
        }
        if w.install_image != h.install_image {
            what.push("installImage".to_owned());
            change.install_image = Some(w.install_image.clone().unwrap_or_default());
        }
        if texts(&w.patches) != h.patches {
            what.push("patches".to_owned());
            change.patches = Some(w.patches.clone());
        }
        if !what.is_empty() {
            steps.push(Step::UpdateCluster {
                name: w.name.clone(),
                change,
                what,
            });
        }
    }
    let mut wanted_ids = BTreeSet::new();
    for w in want_devices {
        wanted_ids.insert(w.id.as_str());
        let Some(h) = have_d.get(w.id.as_str()) else {
            steps.push(Step::CreateDevice(w.clone()));
            continue;
        };
        if h.cluster != w.cluster {
            return Err(PlanError::Moved {
                id: w.id.clone(),
                have: h.cluster.clone(),
                want: w.cluster.clone(),
            });
        }
        let mut change = DeviceUpdate::default();
        let mut what = Vec::new();
        if h.role != w.role {
            what.push(format!("role {} -> {}", h.role.as_str(), w.role.as_str()));
            change.role = Some(w.role);
        }
        if h.hostname != w.hostname {
            what.push(format!("hostname {} -> {}", h.hostname, w.hostname));
            change.hostname = Some(w.hostname.clone());
        }
        if h.install_disk != w.install_disk {
            what.push("installDisk".to_owned());
            change.install_disk = Some(w.install_disk.clone().unwrap_or_default());
        }
        if h.network != w.network {
            what.push("network".to_owned());
            change.network = w.network.clone();
        }
        if texts(&w.patches) != h.patches {
            what.push("patches".to_owned());
            change.patches = Some(w.patches.clone());
        }
        let want_state = w.state.unwrap_or(DeviceState::Active);
        if h.state == DeviceState::Retired && want_state != DeviceState::Retired {
            what.push(format!("state retired -> {}", want_state.as_str()));
            change.state = Some(want_state);
        }
        if !what.is_empty() {
            steps.push(Step::UpdateDevice {
                id: w.id.clone(),
                change,
                what,
            });
        }
    }
    if prune {
        for h in have_devices {
            if !wanted_ids.contains(h.id.as_str()) && h.state != DeviceState::Retired {
                steps.push(Step::RetireDevice(h.id.clone()));
            }
        }
    }
    Ok(steps)
}
