//! `ContainerConfig` (upstream `types/container/*.go` `Validate` methods)
//! and the cross-document check of container dependencies
//! (`config/container/container_deps.go`).

use std::collections::{BTreeMap, BTreeSet};

use talgen_config::types::container::{
    ContainerConfig, ContainerDependsOn, ContainerMount, ContainerResources, ContainerRunAs,
    ContainerSecurity,
};

use crate::image_ref::{self, Reference};
use crate::report::Scope;

/// Longest container name.
const MAX_NAME_LENGTH: usize = 63;
/// Mount options a container mount may carry.
const MOUNT_OPTIONS: [&str; 8] = [
    "ro", "rw", "noexec", "nosuid", "nodev", "noatime", "rbind", "rshared",
];
/// Conditions `dependsOn.networks` may wait for.
const NETWORK_CONDITIONS: [&str; 4] = ["addresses", "connectivity", "hostname", "etcfiles"];

fn name(name: &str, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "a container name is required");
    } else if name.len() > MAX_NAME_LENGTH {
        s.error(
            "name",
            format!("{name:?} is longer than {MAX_NAME_LENGTH} characters"),
        );
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        s.error(
            "name",
            format!("{name:?} may only hold lower-case ASCII letters, digits and '-'"),
        );
    }
}

/// `ValidateAbsPath`: present and absolute (starts with `/` on Linux).
fn abs_path(what: &str, path: &str) -> Result<(), String> {
    if path.is_empty() {
        Err(format!("{what} is required"))
    } else if !path.starts_with('/') {
        Err(format!("{what} {path:?} is not an absolute path"))
    } else {
        Ok(())
    }
}

fn mount_options(options: &[String], errs: &mut Vec<String>) {
    for o in options {
        if !MOUNT_OPTIONS.contains(&o.as_str()) {
            errs.push(format!("mount option {o:?} is not supported"));
        }
    }
    if options.iter().any(|o| o == "ro") && options.iter().any(|o| o == "rw") {
        errs.push("mount options ro and rw exclude each other".to_owned());
    }
}

/// One mount: its destination when its kind is unambiguous, and its problems.
fn mount(m: &ContainerMount) -> (Option<&str>, Vec<String>) {
    let set = [
        m.user_volume.is_some(),
        m.tmpfs.is_some(),
        m.host_path.is_some(),
    ];
    if set.iter().filter(|b| **b).count() != 1 {
        return (
            None,
            vec!["exactly one of userVolume, tmpfs or hostPath is required".to_owned()],
        );
    }
    let mut errs = Vec::new();
    let dest = if let Some(u) = &m.user_volume {
        if u.name.is_empty() {
            errs.push("userVolume.name is required".to_owned());
        }
        errs.extend(abs_path("userVolume.destination", &u.destination).err());
        mount_options(&u.options, &mut errs);
        u.destination.as_str()
    } else if let Some(t) = &m.tmpfs {
        errs.extend(abs_path("tmpfs.destination", &t.destination).err());
        mount_options(&t.options, &mut errs);
        t.destination.as_str()
    } else if let Some(h) = &m.host_path {
        errs.extend(abs_path("hostPath.source", &h.source).err());
        errs.extend(abs_path("hostPath.destination", &h.destination).err());
        mount_options(&h.options, &mut errs);
        h.destination.as_str()
    } else {
        ""
    };
    (Some(dest), errs)
}

fn mounts(list: &[ContainerMount], s: &mut Scope<'_>) {
    let mut seen = BTreeSet::new();
    for (i, m) in list.iter().enumerate() {
        let path = format!("mounts[{i}]");
        let (dest, errs) = mount(m);
        let failed = !errs.is_empty();
        for e in errs {
            s.error(&path, e);
        }
        // Like upstream, a failing mount's destination is not remembered.
        if let (Some(dest), false) = (dest, failed) {
            if !seen.insert(dest) {
                s.error(&path, format!("destination {dest:?} is mounted twice"));
            }
        }
    }
}

/// `ValidateCapabilityName`.
fn capability_name(field: &str, cap: &str) -> Option<String> {
    if cap.is_empty() {
        Some(format!("{field}: an empty capability name"))
    } else if cap.starts_with("CAP_") {
        Some(format!("{field}: {cap:?} must drop the CAP_ prefix"))
    } else if cap.to_uppercase() != cap {
        Some(format!("{field}: {cap:?} is not upper case"))
    } else if !cap.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        Some(format!(
            "{field}: {cap:?} may only hold upper-case letters and '_'"
        ))
    } else {
        None
    }
}

fn security(sec: &ContainerSecurity, s: &mut Scope<'_>) {
    if !matches!(sec.profile.as_str(), "" | "restricted" | "privileged") {
        s.error(
            "security.profile",
            format!("{:?} is not restricted or privileged", sec.profile),
        );
    }
    let Some(caps) = &sec.capabilities else {
        return;
    };
    for cap in &caps.add {
        if cap == "ALL" {
            s.error(
                "security.capabilities.add",
                "ALL cannot be added; use profile: privileged",
            );
        } else if let Some(e) = capability_name("capabilities.add", cap) {
            s.error("security.capabilities.add", e);
        }
    }
    for cap in caps.drop.iter().filter(|c| *c != "ALL") {
        if let Some(e) = capability_name("capabilities.drop", cap) {
            s.error("security.capabilities.drop", e);
        }
    }
    for cap in caps.add.iter().filter(|c| caps.drop.contains(c)) {
        s.error(
            "security.capabilities",
            format!("{cap:?} is both added and dropped"),
        );
    }
}

/// `parseMillicores`: a positive integer followed by `m`.
fn millicores(value: &str) -> Result<u64, String> {
    let Some(number) = value.strip_suffix('m') else {
        return Err(format!(
            "{value:?} must be given in millicores, such as 1500m"
        ));
    };
    // Go's ParseUint takes digits only: no sign, no spaces.
    let n: u64 = number
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| number.parse().ok())
        .flatten()
        .ok_or_else(|| format!("{value:?} is not a millicore count"))?;
    if n == 0 {
        return Err(format!("{value:?} must be above zero"));
    }
    Ok(n)
}

fn resources(r: &ContainerResources, s: &mut Scope<'_>) {
    let Some(limits) = &r.limits else {
        return;
    };
    if !limits.memory.is_empty() {
        if let Err(e) = super::block::parse_bytes(&limits.memory) {
            s.error("resources.limits.memory", format!("not a size: {e}"));
        }
    }
    if !limits.cpu.is_empty() {
        if let Err(e) = millicores(&limits.cpu) {
            s.error("resources.limits.cpu", e);
        }
    }
}

fn depends_on(d: &ContainerDependsOn, own: &str, s: &mut Scope<'_>) {
    for p in &d.paths {
        if let Err(e) = abs_path("a dependsOn.paths entry", p) {
            s.error("dependsOn.paths", e);
        }
    }
    for c in &d.networks {
        if !NETWORK_CONDITIONS.contains(&c.as_str()) {
            s.error(
                "dependsOn.networks",
                format!("{c:?} is not one of {NETWORK_CONDITIONS:?}"),
            );
        }
    }
    for c in &d.containers {
        if c.is_empty() {
            s.error("dependsOn.containers", "an entry is empty");
        } else if c == own {
            s.error(
                "dependsOn.containers",
                format!("container {own:?} depends on itself"),
            );
        }
    }
}

fn run_as(r: &ContainerRunAs, s: &mut Scope<'_>) {
    if let Some(uid) = r.uid.filter(|u| *u < 0) {
        s.error("runAs.uid", format!("{uid} is negative"));
    }
    if let Some(gid) = r.gid.filter(|g| *g < 0) {
        s.error("runAs.gid", format!("{gid} is negative"));
    }
}

pub(super) fn container(d: &ContainerConfig, s: &mut Scope<'_>) {
    name(&d.name, s);
    if d.image.is_empty() {
        s.error("image", "an image is required");
    } else {
        match image_ref::parse(&d.image) {
            Err(e) => s.error("image", e),
            Ok(Reference::Tag) => s.warn(
                "image",
                format!(
                    "container {:?}: image {:?} is not pinned by digest and may change on restart",
                    d.name, d.image
                ),
            ),
            Ok(Reference::Digest) => {}
        }
    }
    for (i, env) in d.environment.iter().enumerate() {
        if !env.contains('=') {
            s.error(
                &format!("environment[{i}]"),
                format!("{env:?} is not KEY=value"),
            );
        }
    }
    mounts(&d.mounts, s);
    if let Some(sec) = &d.security {
        security(sec, s);
    }
    if let Some(n) = &d.network {
        if !matches!(n.mode.as_str(), "" | "none" | "host") {
            s.error("network.mode", format!("{:?} is not none or host", n.mode));
        }
    }
    if let Some(r) = &d.resources {
        resources(r, s);
    }
    if let Some(dep) = &d.depends_on {
        depends_on(dep, &d.name, s);
    }
    if let Some(r) = &d.run_as {
        run_as(r, s);
    }
}

/// Depth-first walk finding dependency cycles, each written `a -> b -> a`.
struct CycleWalker<'a> {
    edges: &'a BTreeMap<&'a str, Vec<&'a str>>,
    visiting: BTreeSet<&'a str>,
    done: BTreeSet<&'a str>,
    stack: Vec<&'a str>,
    cycles: Vec<String>,
}

impl<'a> CycleWalker<'a> {
    fn visit(&mut self, node: &'a str) {
        if self.done.contains(node) {
            return;
        }
        if self.visiting.contains(node) {
            if let Some(at) = self.stack.iter().position(|n| *n == node) {
                let mut cycle: Vec<&str> = self.stack.get(at..).unwrap_or_default().to_vec();
                cycle.push(node);
                self.cycles.push(cycle.join(" -> "));
            }
            return;
        }
        self.visiting.insert(node);
        self.stack.push(node);
        let edges = self.edges;
        for dep in edges.get(node).into_iter().flatten() {
            if edges.contains_key(dep) {
                self.visit(dep);
            }
        }
        self.stack.pop();
        self.visiting.remove(node);
        self.done.insert(node);
    }
}

/// Upstream `validateContainerDependencies`: every `dependsOn.containers`
/// entry names a configured container, and the dependencies form no cycle.
/// Returns the messages in upstream order.
pub(crate) fn dependency_problems(configs: &[&ContainerConfig]) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&str> = configs.iter().map(|c| c.name.as_str()).collect();
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for c in configs {
        let deps: Vec<&str> = c
            .depends_on
            .iter()
            .flat_map(|d| d.containers.iter().map(String::as_str))
            .collect();
        for dep in &deps {
            if !names.contains(dep) {
                out.push(format!(
                    "container {:?} depends on container {dep:?}, which is not configured",
                    c.name
                ));
            }
        }
        // A later document of the same name replaces the earlier edges, as
        // upstream's map assignment does.
        edges.insert(c.name.as_str(), deps);
    }
    let mut walker = CycleWalker {
        edges: &edges,
        visiting: BTreeSet::new(),
        done: BTreeSet::new(),
        stack: Vec::new(),
        cycles: Vec::new(),
    };
    for name in &names {
        walker.visit(name);
    }
    let mut cycles = walker.cycles;
    cycles.sort();
    cycles.dedup();
    if !cycles.is_empty() {
        out.push(format!(
            "container dependsOn cycle detected: {}",
            cycles.join(", ")
        ));
    }
    out
}
