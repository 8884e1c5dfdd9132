//! The fleet file as written: serde types with the file's field names,
//! every field optional where the file may leave it to `defaults`. Nothing
//! here is checked beyond its YAML shape; [`crate::Fleet::parse`] resolves
//! and validates.

use serde::Deserialize;
use serde_saphyr::Spanned;

/// The whole file: optional defaults and the clusters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "talgen fleet file"))]
pub struct FleetFile {
    /// Values for every cluster that does not set them.
    #[serde(default)]
    pub defaults: Defaults,
    /// The clusters, each with its nodes.
    pub clusters: Option<Vec<ClusterEntry>>,
}

/// Cluster fields every cluster inherits unless it sets them itself.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Defaults {
    /// Kubernetes API endpoint, `https://HOST:PORT`.
    pub endpoint: Option<String>,
    /// Version contract (`v1.13`): the Talos release the configs are for.
    pub talos_version: Option<String>,
    /// Kubernetes version (`1.35.0`; a leading `v` is dropped).
    pub kubernetes_version: Option<String>,
    /// Installer image.
    pub install_image: Option<String>,
    /// Install disk of every node that does not name one.
    pub install_disk: Option<String>,
    /// Patches applied to every node of the cluster, before the cluster's.
    pub patches: Option<Vec<PatchEntry>>,
}

/// One cluster.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClusterEntry {
    /// Cluster name: a DNS label, unique in the fleet.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub name: Spanned<String>,
    /// Kubernetes API endpoint, `https://HOST:PORT`.
    pub endpoint: Option<String>,
    /// Version contract (`v1.13`).
    pub talos_version: Option<String>,
    /// Kubernetes version.
    pub kubernetes_version: Option<String>,
    /// Installer image.
    pub install_image: Option<String>,
    /// Install disk of every node that does not name one.
    pub install_disk: Option<String>,
    /// Patches for every node of this cluster, after the defaults' ones.
    pub patches: Option<Vec<PatchEntry>>,
    /// The nodes.
    pub nodes: Option<Vec<NodeEntry>>,
}

/// One node.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NodeEntry {
    /// Host name, unique in the fleet.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub hostname: Spanned<String>,
    /// `controlplane` or `worker`.
    pub role: RoleEntry,
    /// Install disk (default: the cluster's, else `/dev/sda`).
    pub install_disk: Option<String>,
    /// Patches for this node, after the cluster's.
    pub patches: Option<Vec<PatchEntry>>,
    /// Static network; DHCP when absent.
    pub network: Option<NetworkEntry>,
    /// Seed URL the SMBIOS serial points the VM at.
    #[serde(rename = "seedURL")]
    pub seed_url: Option<String>,
    /// Proxmox VM id, for the `qm set` line.
    pub vmid: Option<u32>,
}

/// A node's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RoleEntry {
    /// A control-plane node.
    Controlplane,
    /// A worker node.
    Worker,
}

/// A patch: `@file` (relative to the fleet file), patch text (YAML or a
/// JSON patch), or the patch written inline as YAML.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum PatchEntry {
    /// `@file` or patch text.
    Text(String),
    /// A strategic merge patch (mapping) or JSON patch (list) inline.
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    Inline(talgen_yaml::Node),
}

/// A node's network: the short form (one interface) or the full
/// description `talgen nocloud --network` reads.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NetworkEntry {
    /// Short form: interface name (default `eth0`).
    pub interface: Option<String>,
    /// Short form: static address(es), `ADDRESS/PREFIX-LENGTH`.
    #[serde(default)]
    pub ip: OneOrMany,
    /// Short form: default gateway(s).
    #[serde(default)]
    pub gateway: OneOrMany,
    /// Short form: DNS servers.
    #[serde(default)]
    pub dns: Vec<String>,
    /// Short form: MAC address of the interface.
    pub mac: Option<String>,
    /// Full form: interfaces, as in a `talgen nocloud --network` file.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<serde_json::Value>>"))]
    pub interfaces: Option<talgen_yaml::Node>,
    /// Full form: DNS servers.
    pub nameservers: Option<Vec<String>>,
    /// DNS search domains (either form).
    #[serde(default)]
    pub search: Vec<String>,
}

/// One value or a list of them.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum OneOrMany {
    /// None given.
    #[default]
    #[cfg_attr(feature = "schema", schemars(skip))]
    None,
    /// One value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

impl NetworkEntry {
    /// The node network this entry describes, checked as the fleet loader
    /// checks it (the config server takes the same form in its API).
    ///
    /// # Errors
    /// What is wrong with the entry, in words.
    pub fn resolve(&self) -> Result<talgen_nocloud::NodeNetwork, String> {
        crate::model::network(self)
    }
}

impl OneOrMany {
    /// The values as a list.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}
