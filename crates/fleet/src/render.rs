//! The render pipeline: cluster secrets + contract + cluster patches +
//! node patches + node network -> each node's NoCloud files.
//!
//! Configs come from [`ConfigBundle`] exactly as `talgen gen config` makes
//! them (the cluster's patches as its common patches); each node's config is
//! then its role's config patched with the node's install disk and its own
//! patches, as `talgen machineconfig patch` would, on the typed documents.

use talgen_generate::{BundleError, BundleOptions, ConfigBundle};
use talgen_nocloud::{
    derive_instance_id, MetaData, NetworkVersion, NodeNetwork, SmbiosSerial, DEFAULT_INTERFACE,
};
use talgen_patch::Patch;

use crate::model::{Cluster, Node, Role};

/// What can stop a cluster from rendering.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// Generating or patching the cluster's configs failed.
    #[error("cluster {cluster}: {source}")]
    Bundle {
        /// The cluster.
        cluster: String,
        /// What the bundle reported.
        #[source]
        source: Box<BundleError>,
    },
    /// A node's patches did not apply.
    #[error("cluster {cluster}, node {node}: {source}")]
    NodePatch {
        /// The cluster.
        cluster: String,
        /// The node.
        node: String,
        /// What the patcher reported.
        #[source]
        source: Box<talgen_patch::PatchError>,
    },
    /// A node's config or NoCloud files could not be written out.
    #[error("cluster {cluster}, node {node}: {message}")]
    Node {
        /// The cluster.
        cluster: String,
        /// The node.
        node: String,
        /// What went wrong.
        message: String,
    },
    /// The cluster's patches and the nodes' do not line up.
    #[error("cluster {cluster}: {nodes} nodes but {patch_lists} node patch lists")]
    PatchCount {
        /// The cluster.
        cluster: String,
        /// Nodes in the cluster.
        nodes: usize,
        /// Patch lists given.
        patch_lists: usize,
    },
}

/// The SMBIOS serial of a node with a seed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smbios {
    /// `ds=nocloud-net;s=URL;h=HOST`.
    pub serial: String,
    /// The serial base64-encoded, as `qm set --smbios1` takes it.
    pub base64: String,
    /// The `qm set` command line (VM id `VMID` when the node has none).
    pub qm: String,
}

/// One node's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeArtifacts {
    /// The node's host name.
    pub hostname: String,
    /// `user-data`: the node's machine config.
    pub user_data: Vec<u8>,
    /// `meta-data`.
    pub meta_data: Vec<u8>,
    /// `network-config` (version 1, DHCP on `eth0` without a network).
    pub network_config: Vec<u8>,
    /// The SMBIOS serial, when the node has a seed URL.
    pub smbios: Option<Smbios>,
}

/// The configs of a cluster, ready to give each node its files.
#[derive(Debug)]
pub struct RenderedCluster {
    bundle: ConfigBundle,
}

impl RenderedCluster {
    /// Generates the cluster's configs from its secrets, contract, versions,
    /// installer and patches (`patches`: the cluster's, read, in order).
    ///
    /// # Errors
    /// [`RenderError::Bundle`] when generation or a cluster patch fails.
    pub fn new(
        cluster: &Cluster,
        secrets: talgen_secrets::Bundle,
        patches: Vec<Patch>,
    ) -> Result<Self, RenderError> {
        let mut options = BundleOptions::talosctl();
        options.generate.contract = cluster.contract;
        options.generate.secrets = Some(secrets);
        if let Some(image) = &cluster.install_image {
            options.generate.install_image.clone_from(image);
        }
        options.patches = patches;
        let bundle = ConfigBundle::new(
            &cluster.name,
            &cluster.endpoint,
            &cluster.kubernetes_version,
            options,
        )
        .map_err(|source| RenderError::Bundle {
            cluster: cluster.name.clone(),
            source: Box::new(source),
        })?;
        Ok(Self { bundle })
    }

    /// The underlying bundle (configs, secrets, credentials).
    pub fn bundle(&self) -> &ConfigBundle {
        &self.bundle
    }

    /// One node's files: its role's config patched with its install disk
    /// and `patches` (the node's, read, in order), its meta-data (host
    /// name, an instance id derived from the files), its network-config
    /// and SMBIOS serial.
    ///
    /// # Errors
    /// [`RenderError::NodePatch`] when a node patch does not apply,
    /// [`RenderError::Node`] when a file cannot be written out.
    pub fn node(
        &self,
        cluster: &str,
        node: &Node,
        patches: &[Patch],
    ) -> Result<NodeArtifacts, RenderError> {
        let fail = |message: String| RenderError::Node {
            cluster: cluster.to_owned(),
            node: node.hostname.clone(),
            message,
        };
        let base = match node.role {
            Role::ControlPlane => self.bundle.control_plane(),
            Role::Worker => self.bundle.worker(),
        };
        let mut all = Vec::with_capacity(patches.len() + 1);
        if let Some(disk) = &node.install_disk {
            all.push(install_disk_patch(disk).map_err(|e| fail(e.to_string()))?);
        }
        all.extend(patches.iter().cloned());
        let user_data = if all.is_empty() {
            base.as_bytes().to_vec()
        } else {
            talgen_patch::apply_to_container(base.container(), &all)
                .map_err(|source| RenderError::NodePatch {
                    cluster: cluster.to_owned(),
                    node: node.hostname.clone(),
                    source: Box::new(source),
                })?
                .encode()
                .map_err(|e| fail(e.to_string()))?
                .into_bytes()
        };
        let network = node
            .network
            .clone()
            .unwrap_or_else(|| NodeNetwork::dhcp(DEFAULT_INTERFACE));
        let network_config = network
            .to_network_config(NetworkVersion::V1)
            .map_err(|e| fail(e.to_string()))?
            .into_bytes();
        let instance_id = derive_instance_id(Some(&node.hostname), &user_data, &network_config);
        let meta_data = MetaData::new(Some(&node.hostname), &instance_id)
            .and_then(|m| m.to_yaml())
            .map_err(|e| fail(e.to_string()))?
            .into_bytes();
        let smbios = node
            .seed_url
            .as_deref()
            .map(|url| {
                let s = SmbiosSerial::new(url, &node.hostname).map_err(|e| fail(e.to_string()))?;
                Ok::<_, RenderError>(Smbios {
                    serial: s.serial(),
                    base64: s.base64(),
                    qm: s.qm_set(node.vmid, None),
                })
            })
            .transpose()?;
        Ok(NodeArtifacts {
            hostname: node.hostname.clone(),
            user_data,
            meta_data,
            network_config,
            smbios,
        })
    }
}

/// The patch setting a node's install disk.
fn install_disk_patch(disk: &str) -> Result<Patch, talgen_patch::PatchError> {
    let doc = talgen_yaml::Node::mapping([(
        "machine",
        talgen_yaml::Node::mapping([(
            "install",
            talgen_yaml::Node::mapping([("disk", talgen_yaml::Node::string(disk))]),
        )]),
    )]);
    talgen_patch::parse_patch_named("installDisk", talgen_yaml::emit(&doc).as_bytes())
}

/// Every node's files of one cluster: [`RenderedCluster::new`] then
/// [`RenderedCluster::node`] for each node, `node_patches` in node order.
///
/// # Errors
/// The first [`RenderError`] met.
pub fn render_cluster(
    cluster: &Cluster,
    secrets: talgen_secrets::Bundle,
    patches: Vec<Patch>,
    node_patches: &[Vec<Patch>],
) -> Result<(RenderedCluster, Vec<NodeArtifacts>), RenderError> {
    if node_patches.len() != cluster.nodes.len() {
        return Err(RenderError::PatchCount {
            cluster: cluster.name.clone(),
            nodes: cluster.nodes.len(),
            patch_lists: node_patches.len(),
        });
    }
    let rendered = RenderedCluster::new(cluster, secrets, patches)?;
    let nodes = cluster
        .nodes
        .iter()
        .zip(node_patches)
        .map(|(n, p)| rendered.node(&cluster.name, n, p))
        .collect::<Result<_, _>>()?;
    Ok((rendered, nodes))
}
