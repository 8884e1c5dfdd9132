//! The fleet after defaults are applied and every rule is checked.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;

use talgen_contract::Contract;
use talgen_nocloud::{NodeNetwork, SimpleNetwork, SmbiosSerial, DEFAULT_INTERFACE};
use talgen_patch::Patch;

use crate::error::{FleetError, Location};
use crate::file::{ClusterEntry, Defaults, NetworkEntry, NodeEntry, PatchEntry, RoleEntry};

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
#[derive(Debug, Clone, PartialEq)]
pub struct PatchRef {
    /// Where the patch comes from.
    pub source: PatchSource,
    /// Where it is named, for errors.
    pub at: Location,
    /// A [`PatchSource::Text`] patch, parsed once by [`Fleet::parse`].
    parsed: Option<Patch>,
}

impl PatchRef {
    /// A reference to `source` named at `at`; text patches are parsed
    /// here (and never again).
    ///
    /// # Errors
    /// [`FleetError::Patch`] when text is not a patch.
    pub fn new(source: PatchSource, at: Location) -> Result<Self, FleetError> {
        let parsed = match &source {
            PatchSource::Text(text) => {
                let mut patch = talgen_patch::parse_patch(text.as_bytes()).map_err(|source| {
                    FleetError::Patch {
                        at: Box::new(at.clone()),
                        source,
                    }
                })?;
                patch.set_source(INLINE.to_owned());
                Some(patch)
            }
            PatchSource::File(_) => None,
        };
        Ok(Self { source, at, parsed })
    }

    /// The parsed patch of a [`PatchSource::Text`] reference.
    pub fn parsed(&self) -> Option<&Patch> {
        self.parsed.as_ref()
    }
}

/// The name inline patches go by in errors.
const INLINE: &str = "(inline)";

/// One node, resolved.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
        let stream = FleetStream::new(text, file)?;
        let mut fleet = Fleet::default();
        stream.for_each(|result| {
            match result {
                Ok(cluster) => fleet.clusters.push(cluster),
                Err(e) => fleet.rejected.push(e),
            }
            ControlFlow::Continue(())
        })?;
        Ok(fleet)
    }

    /// The cluster named `name`.
    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.name == name)
    }
}

/// A fleet file whose syntax is checked, read cluster by cluster: only the
/// cluster at hand is held in memory (and the names already taken), so a
/// fleet of any size is resolved in constant space.
#[derive(Debug)]
pub struct FleetStream<'t> {
    text: &'t str,
    file: String,
    defaults: Defaults,
    names: Vec<String>,
}

impl<'t> FleetStream<'t> {
    /// Checks that `text` is a fleet file (its YAML shape, every field
    /// known) without resolving any cluster; `file` names it in errors.
    ///
    /// # Errors
    /// [`FleetError::Syntax`] when it is not.
    pub fn new(text: &'t str, file: &str) -> Result<Self, FleetError> {
        let mut names = Vec::new();
        let defaults = walk(text, file, None, &mut |entry| {
            names.push(entry.name.value);
            ControlFlow::Continue(())
        })?
        .unwrap_or_default();
        Ok(Self {
            text,
            file: file.to_owned(),
            defaults,
            names,
        })
    }

    /// Every cluster name as written, valid or not, in file order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Resolves and validates each cluster in file order, handing it (or
    /// the error that rejects it) to `each`, which may stop the walk.
    ///
    /// # Errors
    /// [`FleetError::Syntax`] when the text is not a fleet file (only if it
    /// changed since [`FleetStream::new`] looked).
    pub fn for_each(
        &self,
        mut each: impl FnMut(Result<Cluster, FleetError>) -> ControlFlow<()>,
    ) -> Result<(), FleetError> {
        let mut resolver = Resolver {
            file: &self.file,
            defaults: &self.defaults,
            names: HashMap::new(),
            hosts: HashMap::new(),
        };
        walk(self.text, &self.file, Some(&self.defaults), &mut |entry| {
            each(resolver.resolve(&entry))
        })?;
        Ok(())
    }
}

/// Walks the fleet file's clusters one entry at a time. Without `known`
/// defaults the file's own are deserialized and returned; with them the
/// file's are skipped.
fn walk(
    text: &str,
    file: &str,
    known: Option<&Defaults>,
    each: &mut dyn FnMut(ClusterEntry) -> ControlFlow<()>,
) -> Result<Option<Defaults>, FleetError> {
    let mut stopped = false;
    let result = serde_saphyr::with_deserializer_from_str(text, |de| {
        serde::de::DeserializeSeed::deserialize(
            FileSeed {
                known: known.is_some(),
                each: &mut *each,
                stopped: &mut stopped,
            },
            de,
        )
    });
    match result {
        Ok(defaults) => Ok(defaults),
        Err(_) if stopped => Ok(None),
        Err(e) => Err(FleetError::Syntax {
            file: file.to_owned(),
            message: e.to_string(),
        }),
    }
}

/// The top-level mapping, visited key by key (what `FleetFile` derives,
/// with the clusters handed out as they are read).
struct FileSeed<'a> {
    known: bool,
    each: &'a mut dyn FnMut(ClusterEntry) -> ControlFlow<()>,
    stopped: &'a mut bool,
}

const FILE_FIELDS: &[&str] = &["defaults", "clusters"];

impl<'de> serde::de::DeserializeSeed<'de> for FileSeed<'_> {
    type Value = Option<Defaults>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct("FleetFile", FILE_FIELDS, self)
    }
}

impl<'de> serde::de::Visitor<'de> for FileSeed<'_> {
    type Value = Option<Defaults>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct FleetFile")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let (mut defaults, mut clusters) = (None, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "defaults" if defaults.is_some() => {
                    return Err(A::Error::duplicate_field("defaults"))
                }
                "defaults" if self.known => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    defaults = Some(Defaults::default());
                }
                "defaults" => defaults = Some(map.next_value::<Defaults>()?),
                "clusters" if clusters => return Err(A::Error::duplicate_field("clusters")),
                "clusters" => {
                    clusters = true;
                    map.next_value_seed(ClustersSeed {
                        each: &mut *self.each,
                        stopped: &mut *self.stopped,
                    })?;
                }
                other => return Err(A::Error::unknown_field(other, FILE_FIELDS)),
            }
        }
        Ok(defaults)
    }
}

/// `clusters:`: null, or a list whose entries are handed out one by one.
struct ClustersSeed<'a> {
    each: &'a mut dyn FnMut(ClusterEntry) -> ControlFlow<()>,
    stopped: &'a mut bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for ClustersSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ClustersSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of clusters")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<ClusterEntry>()? {
            if (self.each)(entry).is_break() {
                *self.stopped = true;
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

/// Resolves cluster entries in file order, remembering the names and host
/// names taken so far.
struct Resolver<'a> {
    file: &'a str,
    defaults: &'a Defaults,
    names: HashMap<String, usize>,
    hosts: HashMap<String, (String, usize)>,
}

impl Resolver<'_> {
    fn resolve(&mut self, entry: &ClusterEntry) -> Result<Cluster, FleetError> {
        let cluster = resolve_cluster(self.defaults, entry, self.file)?;
        check_unique(&cluster, self.file, &self.names, &self.hosts)?;
        self.names.insert(cluster.name.clone(), cluster.line);
        for n in &cluster.nodes {
            self.hosts
                .insert(n.hostname.clone(), (cluster.name.clone(), n.line));
        }
        Ok(cluster)
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

fn resolve_cluster(d: &Defaults, entry: &ClusterEntry, file: &str) -> Result<Cluster, FleetError> {
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
    PatchRef::new(source, at)
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
        PatchSource::Text(text) => match &patch.parsed {
            Some(p) => Ok(p.clone()),
            None => parse(INLINE, text.as_bytes()),
        },
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
