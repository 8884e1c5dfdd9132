//! The admin API's JSON bodies. Requests refuse unknown fields, so a typo
//! is an error rather than a silently ignored setting.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/clusters`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClusterCreate {
    /// Cluster name.
    pub name: String,
    /// Kubernetes API endpoint (`https://10.1.0.10:6443`).
    pub endpoint: String,
    /// Version contract (`v1.13`), pinned from now on.
    pub talos_version: String,
    /// Kubernetes version.
    pub kubernetes_version: String,
    /// Installer image; talosctl's default when absent.
    #[serde(default)]
    pub install_image: Option<String>,
    /// Patches for every node: patch texts (YAML or JSON) or inline
    /// patch documents.
    #[serde(default)]
    pub patches: Vec<serde_json::Value>,
    /// Source CIDRs the cluster's devices may fetch from (empty: any).
    #[serde(default)]
    pub source_cidrs: Vec<String>,
    /// An existing secrets bundle (`secrets.yaml` text) to adopt instead of
    /// generating one.
    #[serde(default)]
    pub secrets: Option<String>,
}

/// `PATCH /api/v1/clusters/{name}`: fields to change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClusterUpdate {
    /// New endpoint.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// New contract: refused unless `force`.
    #[serde(default)]
    pub talos_version: Option<String>,
    /// New Kubernetes version.
    #[serde(default)]
    pub kubernetes_version: Option<String>,
    /// New installer image (`""` for the default).
    #[serde(default)]
    pub install_image: Option<String>,
    /// New patch list.
    #[serde(default)]
    pub patches: Option<Vec<serde_json::Value>>,
    /// New source CIDRs.
    #[serde(default)]
    pub source_cidrs: Option<Vec<String>>,
    /// Allow a contract change (configs from a newer contract can break
    /// older nodes).
    #[serde(default)]
    pub force: bool,
}

/// A cluster as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ClusterView {
    /// Name.
    pub name: String,
    /// Endpoint.
    pub endpoint: String,
    /// Pinned contract.
    pub talos_version: String,
    /// Kubernetes version.
    pub kubernetes_version: String,
    /// Installer image, if set.
    pub install_image: Option<String>,
    /// Patches, as texts.
    pub patches: Vec<String>,
    /// Source CIDRs.
    pub source_cidrs: Vec<String>,
    /// `ready`, or `generating` while its secrets are made.
    pub secrets: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// A device's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    /// Control-plane node.
    Controlplane,
    /// Worker node.
    Worker,
}

impl RoleName {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleName::Controlplane => "controlplane",
            RoleName::Worker => "worker",
        }
    }
}

/// A device's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceState {
    /// Known, held back: user-data answers 503, so the node waits.
    Pending,
    /// Serves its current revision.
    Active,
    /// Gone: every file answers 401.
    Retired,
}

impl DeviceState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Pending => "pending",
            DeviceState::Active => "active",
            DeviceState::Retired => "retired",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(DeviceState::Pending),
            "active" => Some(DeviceState::Active),
            "retired" => Some(DeviceState::Retired),
            _ => None,
        }
    }
}

/// `POST /api/v1/devices`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeviceCreate {
    /// Device id: its name in the seed URL.
    pub id: String,
    /// Its cluster.
    pub cluster: String,
    /// Role.
    pub role: RoleName,
    /// Host name, unique.
    pub hostname: String,
    /// Install disk; talosctl's default when absent.
    #[serde(default)]
    pub install_disk: Option<String>,
    /// Static network as in the fleet file; DHCP when absent.
    #[serde(default)]
    pub network: Option<serde_json::Value>,
    /// Patches applied after the cluster's.
    #[serde(default)]
    pub patches: Vec<serde_json::Value>,
    /// Initial state (default `active`).
    #[serde(default)]
    pub state: Option<DeviceState>,
    /// Proxmox VM id for the `qm set` line.
    #[serde(default)]
    pub vmid: Option<u32>,
}

/// `PATCH /api/v1/devices/{id}`: fields to change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeviceUpdate {
    /// New role.
    #[serde(default)]
    pub role: Option<RoleName>,
    /// New host name.
    #[serde(default)]
    pub hostname: Option<String>,
    /// New install disk (`""` for the default).
    #[serde(default)]
    pub install_disk: Option<String>,
    /// New static network; omitted keeps the current one.
    #[serde(default)]
    pub network: Option<serde_json::Value>,
    /// New patch list.
    #[serde(default)]
    pub patches: Option<Vec<serde_json::Value>>,
    /// New state.
    #[serde(default)]
    pub state: Option<DeviceState>,
}

/// A device as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DeviceView {
    /// Id.
    pub id: String,
    /// Cluster.
    pub cluster: String,
    /// Role.
    pub role: RoleName,
    /// Host name.
    pub hostname: String,
    /// Install disk, if set.
    pub install_disk: Option<String>,
    /// Network as given, if any.
    pub network: Option<serde_json::Value>,
    /// Patches, as texts.
    pub patches: Vec<String>,
    /// State.
    pub state: DeviceState,
    /// The revision it serves.
    pub revision: Option<i64>,
    /// Its latest fetch.
    #[serde(default)]
    pub last_fetch: Option<FetchView>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// The SMBIOS serial pointing a VM at its seed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SmbiosView {
    /// `ds=nocloud-net;s=URL;h=HOST`, credentials in the URL.
    pub serial: String,
    /// The serial base64-encoded for `qm set --smbios1`.
    pub base64: String,
    /// The `qm set` command.
    pub qm: String,
}

/// A new or reset device: its secret is shown here once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCredentials {
    /// The device.
    pub device: DeviceView,
    /// Its seed password: stored only as a hash, shown only now.
    pub secret: String,
    /// Its SMBIOS serial with the secret inside.
    pub smbios: SmbiosView,
}

/// A revision as the API lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RevisionView {
    /// 1, 2, …
    pub number: i64,
    /// SHA-256 over the three files' hashes.
    pub sha256: String,
    /// SHA-256 of the inputs.
    pub inputs_sha256: String,
    /// Each file's SHA-256.
    pub files: FileHashes,
    /// Why it was made.
    pub reason: String,
    /// Who made it.
    pub actor: String,
    /// RFC 3339.
    pub created_at: String,
}

/// The SHA-256 of each file of a revision.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub struct FileHashes {
    /// user-data.
    pub user_data: String,
    /// meta-data.
    pub meta_data: String,
    /// network-config.
    pub network_config: String,
}

/// One revision with its files.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevisionDetail {
    /// The listing fields.
    #[serde(flatten)]
    pub revision: RevisionView,
    /// user-data text.
    pub user_data: String,
    /// meta-data text.
    pub meta_data: String,
    /// network-config text.
    pub network_config: String,
}

/// `POST …/rollback`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollback {
    /// The revision whose files to serve again.
    pub revision: i64,
}

/// One fetch as the API lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FetchView {
    /// RFC 3339.
    pub at: String,
    /// Source address.
    pub source: String,
    /// File.
    pub file: String,
    /// Revision served.
    pub revision: Option<i64>,
    /// HTTP status.
    pub status: u16,
}

/// An error body: `{"error": "…"}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: String,
}

/// `POST /api/v1/clusters/{name}/talosconfig` and `…/kubeconfig`: all
/// fields optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CredentialsRequest {
    /// Certificate lifetime as a Go duration (`1h`, default; at most
    /// `8760h`).
    #[serde(default)]
    pub ttl: Option<String>,
    /// Talos roles of the client certificate (talosconfig only; default
    /// `os:admin`).
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// Talos API endpoints (talosconfig only; default: the control-plane
    /// devices' static addresses).
    #[serde(default)]
    pub endpoints: Option<Vec<String>>,
}
