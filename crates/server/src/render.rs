//! From stored inputs to a device's three files, through the fleet
//! model's render pipeline, so a device served here gets exactly the bytes
//! `talgen gen fleet` writes for the same cluster, node and secrets.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use talgen_contract::Contract;
use talgen_fleet::file::NetworkEntry;
use talgen_nocloud::{
    derive_instance_id, MetaData, NetworkVersion, NodeNetwork, DEFAULT_INTERFACE,
};
use talgen_patch::Patch;

use crate::error::ApiError;
use crate::model::RoleName;

/// What a cluster contributes to every device's config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterInputs {
    /// Name.
    pub name: String,
    /// Endpoint.
    pub endpoint: String,
    /// Contract.
    pub talos_version: String,
    /// Kubernetes version.
    pub kubernetes_version: String,
    /// Installer image.
    pub install_image: Option<String>,
    /// Patch texts.
    pub patches: Vec<String>,
}

/// What a device adds: the sealed `spec` of its row, plus its row's
/// role and host name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInputs {
    /// Host name.
    pub hostname: String,
    /// Role.
    pub role: RoleName,
    /// Install disk.
    pub install_disk: Option<String>,
    /// Network as given (fleet-file form).
    pub network: Option<serde_json::Value>,
    /// Patch texts.
    pub patches: Vec<String>,
}

/// Everything a revision is rendered from (besides the cluster secrets,
/// which never change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// The cluster's part.
    pub cluster: ClusterInputs,
    /// The device's part.
    pub device: DeviceInputs,
}

impl Inputs {
    /// The canonical JSON of the inputs and its SHA-256 (hex).
    pub fn to_json_and_hash(&self) -> (Vec<u8>, String) {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let hash = hex::encode(Sha256::digest(&json));
        (json, hash)
    }
}

/// A device's three files, in fetch order's storage order: user-data,
/// meta-data, network-config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    /// The machine config.
    pub user_data: Vec<u8>,
    /// meta-data.
    pub meta_data: Vec<u8>,
    /// network-config.
    pub network_config: Vec<u8>,
}

impl Files {
    /// The SHA-256 (hex) of each file, and of the three hashes together.
    pub fn hashes(&self) -> ([String; 3], String) {
        let each = [
            hex::encode(Sha256::digest(&self.user_data)),
            hex::encode(Sha256::digest(&self.meta_data)),
            hex::encode(Sha256::digest(&self.network_config)),
        ];
        let mut all = Sha256::new();
        for h in &each {
            all.update(h.as_bytes());
            all.update(b"\n");
        }
        (each, hex::encode(all.finalize()))
    }
}

/// Normalises patches from an API body into texts: strings are patch text
/// (YAML or JSON), objects and arrays are inline patches. Each must parse;
/// naming a file (`@path`) is refused: the server reads no files for its
/// callers.
///
/// # Errors
/// [`ApiError::Invalid`] naming the patch.
pub fn patch_texts(field: &str, values: &[serde_json::Value]) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let text = match v {
            serde_json::Value::String(s) if s.trim_start().starts_with('@') => {
                return Err(ApiError::Invalid(format!(
                    "{field}[{i}]: patch files cannot be named through the API; send the \
                     patch itself"
                )))
            }
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                serde_json::to_string(v).unwrap_or_default()
            }
            _ => {
                return Err(ApiError::Invalid(format!(
                    "{field}[{i}]: a patch is a text or a patch document"
                )))
            }
        };
        parse_patches(field, std::slice::from_ref(&text))?;
        out.push(text);
    }
    Ok(out)
}

fn parse_patches(field: &str, texts: &[String]) -> Result<Vec<Patch>, ApiError> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            talgen_patch::parse_patch_named(&format!("{field}[{i}]"), t.as_bytes())
                .map_err(|e| ApiError::Invalid(format!("{field}[{i}]: {e}")))
        })
        .collect()
}

/// Checks and resolves a network given in the fleet file's form.
///
/// # Errors
/// [`ApiError::Invalid`] with what is wrong.
pub fn network(value: Option<&serde_json::Value>) -> Result<NodeNetwork, ApiError> {
    match value {
        None => Ok(NodeNetwork::dhcp(DEFAULT_INTERFACE)),
        Some(v) => {
            let entry: NetworkEntry = serde_json::from_value(v.clone())
                .map_err(|e| ApiError::Invalid(format!("network: {e}")))?;
            entry
                .resolve()
                .map_err(|e| ApiError::Invalid(format!("network: {e}")))
        }
    }
}

/// A contract name as the API takes it.
///
/// # Errors
/// [`ApiError::Invalid`].
pub fn contract(text: &str) -> Result<Contract, ApiError> {
    text.parse::<Contract>()
        .map_err(|e| ApiError::Invalid(format!("talosVersion: {e}")))
}

/// A cluster's configs from its inputs and secrets, ready for its nodes
/// (and for issuing its credentials).
///
/// # Errors
/// As [`render`].
pub fn rendered_cluster(
    c: &ClusterInputs,
    secrets: talgen_secrets::Bundle,
) -> Result<talgen_fleet::RenderedCluster, ApiError> {
    let cluster = talgen_fleet::Cluster {
        name: c.name.clone(),
        endpoint: c.endpoint.clone(),
        contract: contract(&c.talos_version)?,
        kubernetes_version: c.kubernetes_version.clone(),
        install_image: c.install_image.clone(),
        patches: Vec::new(),
        nodes: Vec::new(),
        line: 0,
    };
    let patches = parse_patches("cluster.patches", &c.patches)?;
    talgen_fleet::RenderedCluster::new(&cluster, secrets, patches)
        .map_err(|e| ApiError::Unprocessable(e.to_string()))
}

/// Renders a device's files from its inputs and its cluster's secrets.
///
/// # Errors
/// [`ApiError::Invalid`] for inputs that do not parse,
/// [`ApiError::Unprocessable`] when the configs cannot be made or a patch
/// does not apply for the cluster's contract.
pub fn render(inputs: &Inputs, secrets: &talgen_secrets::Bundle) -> Result<Files, ApiError> {
    render_node(&rendered_cluster(&inputs.cluster, secrets.clone())?, inputs)
}

/// Renders a device's files from its cluster's configs, made once by
/// [`rendered_cluster`] for all of the cluster's devices.
///
/// # Errors
/// As [`render`].
pub fn render_node(
    rendered: &talgen_fleet::RenderedCluster,
    inputs: &Inputs,
) -> Result<Files, ApiError> {
    let c = &inputs.cluster;
    let d = &inputs.device;
    let node = talgen_fleet::Node {
        hostname: d.hostname.clone(),
        role: match d.role {
            RoleName::Controlplane => talgen_fleet::Role::ControlPlane,
            RoleName::Worker => talgen_fleet::Role::Worker,
        },
        install_disk: d.install_disk.clone(),
        patches: Vec::new(),
        network: match &d.network {
            None => None,
            Some(v) => Some(network(Some(v))?),
        },
        seed_url: None,
        vmid: None,
        line: 0,
    };
    let node_patches = parse_patches("patches", &d.patches)?;
    let files = rendered
        .node(&c.name, &node, &node_patches)
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    Ok(Files {
        user_data: files.user_data,
        meta_data: files.meta_data,
        network_config: files.network_config,
    })
}

/// meta-data and network-config of a device that has no revision yet
/// (its cluster's secrets are still being made): Talos needs both before
/// it asks for user-data, which answers 503 meanwhile.
///
/// # Errors
/// [`ApiError::Invalid`] for a bad network.
pub fn seed_only(device: &DeviceInputs) -> Result<(Vec<u8>, Vec<u8>), ApiError> {
    let net = network(device.network.as_ref())?
        .to_network_config(NetworkVersion::V1)
        .map_err(|e| ApiError::Invalid(format!("network: {e}")))?
        .into_bytes();
    let id = derive_instance_id(Some(&device.hostname), b"", &net);
    let meta = MetaData::new(Some(&device.hostname), &id)
        .and_then(|m| m.to_yaml())
        .map_err(|e| ApiError::Invalid(format!("hostname: {e}")))?
        .into_bytes();
    Ok((meta, net))
}
