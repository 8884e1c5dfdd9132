//! The fleet after defaults are applied and every rule is checked.

use std::collections::HashMap;
use std::path::Path;

use talgen_contract::Contract;
use talgen_nocloud::{NodeNetwork, SimpleNetwork, SmbiosSerial, DEFAULT_INTERFACE};
use talgen_patch::Patch;

use crate::error::{FleetError, Location};
use crate::file::{ClusterEntry, FleetFile, NetworkEntry, NodeEntry, PatchEntry, RoleEntry};

/// A node's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A control-plane node: gets the controlplane config.
    ControlPlane,
    /// A worker node: gets the worker config.
    Worker,
}

/// Where a patch comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchSource {
    /// A file, relative to the fleet file's directory (written `@path`).
    File(String),
    /// Patch text given in the fleet file (inline YAML is kept as text).
    Text(String),
}

/// A patch as named in the fleet file, with where it is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchRef {
    /// Where the patch comes from.
    pub source: PatchSource,
    /// Where it is named, for errors.
    pub at: Location,
}

/// One node, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Host name, unique in the fleet.
    pub hostname: String,
    /// Role.
    pub role: Role,
    /// Install disk: the node's, else the cluster's, else the defaults'.
    pub install_disk: Option<String>,
    /// The node's own patches, applied after the cluster's.
    pub patches: Vec<PatchRef>,
    /// Static network, or `None` for DHCP.
    pub network: Option<NodeNetwork>,
    /// The seed URL its SMBIOS serial points at.
    pub seed_url: Option<String>,
    /// Proxmox VM id.
    pub vmid: Option<u32>,
    /// Line of the node in the fleet file.
    pub line: usize,
}

/// One cluster, resolved: defaults applied, every rule checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Name, a DNS label unique in the fleet.
    pub name: String,
    /// Kubernetes API endpoint.
    pub endpoint: String,
    /// Version contract.
    pub contract: Contract,
    /// Kubernetes version as written.
    pub kubernetes_version: String,
    /// Installer image, or `None` for the default installer.
    pub install_image: Option<String>,
    /// Patches for every node: the defaults' then the cluster's.
    pub patches: Vec<PatchRef>,
    /// The nodes.
    pub nodes: Vec<Node>,
    /// Line of the cluster in the fleet file.
    pub line: usize,
}

/// A parsed fleet: the clusters that passed every rule, and the errors of
/// those that did not (a bad cluster does not stop the others).
#[derive(Debug, Default)]
pub struct Fleet {
    /// Valid clusters, in file order.
    pub clusters: Vec<Cluster>,
    /// One error per rejected cluster, in file order.
    pub rejected: Vec<FleetError>,
}

impl Fleet {
    /// Parses and validates fleet file text; `file` names it in errors.
    /// Touches no file: patch files stay [`PatchSource::File`] until
    /// [`read_patch`] reads them.
    ///
    /// # Errors
    /// [`FleetError::Syntax`] when the text is not a fleet file at all;
    /// rule violations of one cluster land in [`Fleet::rejected`].
    pub fn parse(text: &str, file: &str) -> Result<Fleet, FleetError> {
        let parsed: FleetFile = serde_saphyr::from_str(text).map_err(|e| FleetError::Syntax {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
        let mut fleet = Fleet::default();
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut hosts: HashMap<String, (String, usize)> = HashMap::new();
        for entry in parsed.clusters.iter().flatten() {
            let result = resolve_cluster(&parsed, entry, file).and_then(|cluster| {
                check_unique(&cluster, file, &names, &hosts)?;
                Ok(cluster)
            });
            match result {
                Ok(cluster) => {
                    names.insert(cluster.name.clone(), cluster.line);
                    for n in &cluster.nodes {
                        hosts.insert(n.hostname.clone(), (cluster.name.clone(), n.line));
                    }
                    fleet.clusters.push(cluster);
                }
                Err(e) => fleet.rejected.push(e),
            }
        }
        Ok(fleet)
    }

    /// The cluster named `name`.
    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.name == name)
    }
}

/// Names and host names already taken by earlier clusters.
fn check_unique(
    cluster: &Cluster,
    file: &str,
    names: &HashMap<String, usize>,
    hosts: &HashMap<String, (String, usize)>,
) -> Result<(), FleetError> {
    if let Some(first) = names.get(&cluster.name) {
        return Err(invalid(
            at(file, cluster.line, Some(&cluster.name), None, Some("name")),
            format!("cluster name already used on line {first}"),
        ));
    }
    let mut own: HashMap<&str, usize> = HashMap::new();
    for n in &cluster.nodes {
        let taken = hosts
            .get(&n.hostname)
            .map(|(c, line)| format!("host name already used by cluster {c} on line {line}"))
            .or_else(|| {
                own.get(n.hostname.as_str())
                    .map(|line| format!("host name already used on line {line}"))
            });
        if let Some(message) = taken {
            return Err(invalid(
                at(
                    file,
                    n.line,
                    Some(&cluster.name),
                    Some(&n.hostname),
                    Some("hostname"),
                ),
                message,
            ));
        }
        own.insert(&n.hostname, n.line);
    }
    Ok(())
}

fn at(
    file: &str,
    line: usize,
    cluster: Option<&str>,
    node: Option<&str>,
    field: Option<&str>,
) -> Location {
    Location {
        file: file.to_owned(),
        line,
        cluster: cluster.map(str::to_owned),
        node: node.map(str::to_owned),
        field: field.map(str::to_owned),
    }
}

fn invalid(at: Location, message: impl Into<String>) -> FleetError {
    FleetError::Invalid {
        at: Box::new(at),
        message: message.into(),
    }
}

/// Whether `name` is an RFC 1123 label: 1 to 63 lowercase letters, digits
/// or hyphens, starting and ending with a letter or digit.
fn is_dns_label(name: &str) -> bool {
    let ok = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = name.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.first().is_some_and(ok)
        && bytes.last().is_some_and(ok)
        && bytes.iter().all(|b| ok(b) || *b == b'-')
}

fn resolve_cluster(
    file_doc: &FleetFile,
    entry: &ClusterEntry,
    file: &str,
) -> Result<Cluster, FleetError> {
    let d = &file_doc.defaults;
    let name = entry.name.value.clone();
    let line = entry.name.referenced.line() as usize;
    let here = |field: &str| at(file, line, Some(&name), None, Some(field));
    if !is_dns_label(&name) {
        return Err(invalid(
            here("name"),
            format!("{name:?} is not a DNS label (1-63 lowercase letters, digits, hyphens)"),
        ));
    }
    let pick =
        |own: &Option<String>, default: &Option<String>| own.clone().or_else(|| default.clone());
    let endpoint = pick(&entry.endpoint, &d.endpoint)
        .ok_or_else(|| invalid(here("endpoint"), "required (here or in defaults)"))?;
    talgen_generate::validate_cluster_endpoint(&endpoint)
        .map_err(|e| invalid(here("endpoint"), e.to_string()))?;
    let talos_version = pick(&entry.talos_version, &d.talos_version)
        .ok_or_else(|| invalid(here("talosVersion"), "required (here or in defaults)"))?;
    let contract: Contract = talos_version
        .parse()
        .map_err(|e: talgen_contract::ParseError| invalid(here("talosVersion"), e.to_string()))?;
    let kubernetes_version = pick(&entry.kubernetes_version, &d.kubernetes_version)
        .ok_or_else(|| invalid(here("kubernetesVersion"), "required (here or in defaults)"))?;
    if kubernetes_version.trim_start_matches('v').is_empty() {
        return Err(invalid(here("kubernetesVersion"), "must not be empty"));
    }
    let install_disk = pick(&entry.install_disk, &d.install_disk);
    let mut patches = Vec::new();
    for (entries, field) in [
        (&d.patches, "defaults.patches"),
        (&entry.patches, "patches"),
    ] {
        for p in entries.iter().flatten() {
            patches.push(patch_ref(
                p,
                at(file, line, Some(&name), None, Some(field)),
            )?);
        }
    }
    let mut nodes = Vec::new();
    for n in entry.nodes.iter().flatten() {
        nodes.push(resolve_node(n, &name, install_disk.as_ref(), file)?);
    }
    Ok(Cluster {
        name: name.clone(),
        endpoint,
        contract,
        kubernetes_version,
        install_image: pick(&entry.install_image, &d.install_image),
        patches,
        nodes,
        line,
    })
}

fn resolve_node(
    n: &NodeEntry,
    cluster: &str,
    cluster_disk: Option<&String>,
    file: &str,
) -> Result<Node, FleetError> {
    let hostname = n.hostname.value.clone();
    let line = n.hostname.referenced.line() as usize;
    let here = |field: &str| at(file, line, Some(cluster), Some(&hostname), Some(field));
    talgen_nocloud::validate_hostname(&hostname)
        .map_err(|e| invalid(here("hostname"), e.to_string()))?;
    let network = n
        .network
        .as_ref()
        .map(|net| network(net).map_err(|m| invalid(here("network"), m)))
        .transpose()?;
    if let Some(url) = &n.seed_url {
        SmbiosSerial::new(url, &hostname).map_err(|e| invalid(here("seedURL"), e.to_string()))?;
    }
    let patches = n
        .patches
        .iter()
        .flatten()
        .map(|p| patch_ref(p, here("patches")))
        .collect::<Result<_, _>>()?;
    Ok(Node {
        hostname: hostname.clone(),
        role: match n.role {
            RoleEntry::Controlplane => Role::ControlPlane,
            RoleEntry::Worker => Role::Worker,
        },
        install_disk: n.install_disk.clone().or_else(|| cluster_disk.cloned()),
        patches,
        network,
        seed_url: n.seed_url.clone(),
        vmid: n.vmid,
        line,
    })
}

/// The node network of either form.
pub(crate) fn network(net: &NetworkEntry) -> Result<NodeNetwork, String> {
    let short = net.interface.is_some()
        || !net.ip.to_vec().is_empty()
        || !net.gateway.to_vec().is_empty()
        || !net.dns.is_empty()
        || net.mac.is_some();
    match &net.interfaces {
        Some(_) if short => Err(
            "give either the short form (interface, ip, gateway, dns, mac) or interfaces, not both"
                .to_owned(),
        ),
        Some(interfaces) => {
            let mut doc = vec![(talgen_yaml::Node::string("interfaces"), interfaces.clone())];
            if let Some(ns) = &net.nameservers {
                doc.push((
                    talgen_yaml::Node::string("nameservers"),
                    talgen_yaml::Node::sequence(ns.iter().map(talgen_yaml::Node::string)),
                ));
            }
            if !net.search.is_empty() {
                doc.push((
                    talgen_yaml::Node::string("search"),
                    talgen_yaml::Node::sequence(net.search.iter().map(talgen_yaml::Node::string)),
                ));
            }
            NodeNetwork::from_yaml(&talgen_yaml::emit(&talgen_yaml::Node::Mapping(doc)))
                .map_err(|e| e.to_string())
        }
        None if net.nameservers.is_some() => {
            Err("nameservers belongs to the full form; the short form takes dns".to_owned())
        }
        None => NodeNetwork::simple(&SimpleNetwork {
            interface: net.interface.as_deref().unwrap_or(DEFAULT_INTERFACE),
            mac: net.mac.as_deref(),
            addresses: &net.ip.to_vec(),
            gateways: &net.gateway.to_vec(),
            dns: &net.dns,
            search: &net.search,
            dhcp: false,
        })
        .map_err(|e| e.to_string()),
    }
}

/// A patch entry as a reference; inline and text patches are parsed here
/// so a bad one is reported with the fleet file, before anything renders.
fn patch_ref(entry: &PatchEntry, at: Location) -> Result<PatchRef, FleetError> {
    let source = match entry {
        PatchEntry::Text(t) => match t.strip_prefix('@') {
            Some(path) if !path.is_empty() => PatchSource::File(path.to_owned()),
            _ => PatchSource::Text(t.clone()),
        },
        PatchEntry::Inline(node) => PatchSource::Text(talgen_yaml::emit(node)),
    };
    if let PatchSource::Text(text) = &source {
        talgen_patch::parse_patch(text.as_bytes()).map_err(|source| FleetError::Patch {
            at: Box::new(at.clone()),
            source,
        })?;
    }
    Ok(PatchRef { source, at })
}

/// Reads and parses one patch: a [`PatchSource::File`] is read from
/// `base_dir` (the fleet file's directory).
///
/// # Errors
/// [`FleetError::ReadPatch`] when the file cannot be read,
/// [`FleetError::Patch`] when it is not a patch.
pub fn read_patch(patch: &PatchRef, base_dir: &Path) -> Result<Patch, FleetError> {
    let parse = |name: &str, bytes: &[u8]| {
        talgen_patch::parse_patch_named(name, bytes).map_err(|source| FleetError::Patch {
            at: Box::new(patch.at.clone()),
            source,
        })
    };
    match &patch.source {
        PatchSource::Text(text) => parse("(inline)", text.as_bytes()),
        PatchSource::File(path) => {
            let full = base_dir.join(path);
            let bytes = std::fs::read(&full).map_err(|source| FleetError::ReadPatch {
                at: Box::new(patch.at.clone()),
                path: full.display().to_string(),
                source,
            })?;
            parse(path, &bytes)
        }
    }
}
