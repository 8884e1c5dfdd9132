//! Rules for the legacy v1alpha1 document (upstream `Config.Validate` in
//! `types/v1alpha1/v1alpha1_validation.go`), split by section.

mod cluster;
mod install;
mod kubernetes;
mod kubespan;
mod network;
mod volumes;

use talgen_config::v1alpha1::{Config, MachineConfig};

pub(crate) use cluster::{unsupported_resource, AUTHORIZER_TYPES};
pub(crate) use kubernetes::protected_fields;
pub(crate) use kubespan::KUBESPAN_MIN_MTU;

use crate::labels;
use crate::mode::{Mode, Options};
use crate::raw::NullEntries;
use crate::report::{Report, Scope};

/// Talos API roles that may be granted to Kubernetes workloads.
pub(crate) const TALOS_ROLES: &[&str] = &[
    "os:admin",
    "os:operator",
    "os:reader",
    "os:etcd:backup",
    "os:image:verifier",
    "os:meta:writer",
    "os:impersonator",
];

/// Address sort algorithms `machine.features.nodeAddressSortAlgorithm` accepts.
const ADDRESS_SORT_ALGORITHMS: &[&str] = &["v1", "v2"];

/// How upstream reads `machine.type`: empty and `join` mean worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MachineType {
    Init,
    ControlPlane,
    Worker,
    Unknown,
}

impl MachineType {
    pub(crate) fn of(machine: Option<&MachineConfig>) -> Self {
        match machine.map(|m| m.machine_type.as_str()) {
            Some("init") => MachineType::Init,
            Some("controlplane") => MachineType::ControlPlane,
            Some("worker" | "join" | "") | None => MachineType::Worker,
            Some(_) => MachineType::Unknown,
        }
    }

    fn canonical(self) -> &'static str {
        match self {
            MachineType::Init => "init",
            MachineType::ControlPlane => "controlplane",
            MachineType::Worker => "worker",
            MachineType::Unknown => "unknown",
        }
    }

    pub(crate) fn is_control_plane(self) -> bool {
        matches!(self, MachineType::Init | MachineType::ControlPlane)
    }
}

/// Validates the v1alpha1 document into `report`; `nulls` lists entries
/// the text wrote as `null` (see [`crate::raw`]).
pub(crate) fn validate(
    cfg: &Config,
    mode: Mode,
    options: &Options,
    nulls: &NullEntries,
    report: &mut Report,
) {
    let mut s = report.doc("v1alpha1");
    let warnings_before = s.warning_count();
    let Some(m) = &cfg.machine else {
        s.error("machine", "the machine section is required");
        return;
    };
    let machine_type = MachineType::of(Some(m));

    if !m.files.is_empty() {
        s.warn(
            "machine.files",
            "deprecated: write files with dedicated documents instead",
        );
    }
    if !m.base_runtime_spec_overrides.is_empty() {
        s.warn(
            "machine.baseRuntimeSpecOverrides",
            "deprecated: use a CRIBaseRuntimeSpecConfig document instead",
        );
    }

    cluster::validate(
        cfg.cluster.as_ref(),
        machine_type.is_control_plane(),
        &mut s,
    );
    install::validate_install(m, mode, &mut s);

    if let Some(host_dns) = m.features.as_ref().and_then(|f| f.host_dns.as_ref()) {
        if host_dns.forward_kube_dns_to_host == Some(true) && host_dns.enabled != Some(true) {
            s.error(
                "machine.features.hostDNS.forwardKubeDNSToHost",
                "forwarding Kubernetes DNS to the host needs hostDNS.enabled",
            );
        }
    }

    if machine_type != MachineType::Unknown && machine_type.canonical() != m.machine_type {
        s.warn(
            "machine.type",
            format!(
                "{:?} is read as {:?}; write {:?}",
                m.machine_type,
                machine_type.canonical(),
                machine_type.canonical()
            ),
        );
    }

    if m.ca.is_none() && m.accepted_cas.is_empty() {
        s.error(
            "machine.ca",
            "a Talos API issuing CA or accepted CAs (machine.acceptedCAs) are required",
        );
    }

    check_machine_type(cfg, m, machine_type, &mut s);
    network::validate(m, &mut s);
    volumes::validate(m, &nulls.disks, &mut s);
    if let Some(kubelet) = &m.kubelet {
        kubernetes::validate_kubelet(kubelet, &mut s);
    }
    volumes::validate_encryption(m, &mut s);
    kubespan::validate_filters(m, &mut s);
    check_logging(m, &mut s);
    install::validate_extensions(m, &mut s);

    for e in labels::check_labels(&m.node_labels) {
        s.error("machine.nodeLabels", e);
    }
    for e in labels::check_annotations(&m.node_annotations) {
        s.error("machine.nodeAnnotations", e);
    }
    for e in labels::check_taints(&m.node_taints) {
        s.error("machine.nodeTaints", e);
    }

    if let Some(access) = m
        .features
        .as_ref()
        .and_then(|f| f.kubernetes_talos_api_access.as_ref())
        .filter(|a| a.enabled == Some(true))
    {
        let path = "machine.features.kubernetesTalosAPIAccess";
        if !machine_type.is_control_plane() {
            s.error(
                path,
                "Talos API access from Kubernetes needs a control plane machine",
            );
        }
        for role in &access.allowed_roles {
            if !TALOS_ROLES.contains(&role.as_str()) {
                s.error(
                    &format!("{path}.allowedRoles"),
                    format!("{role:?} is not a Talos API role"),
                );
            }
        }
    }

    if let Some(alg) = m
        .features
        .as_ref()
        .map(|f| f.node_address_sort_algorithm.as_str())
        .filter(|a| !a.is_empty())
    {
        if !ADDRESS_SORT_ALGORITHMS.contains(&alg) {
            s.error(
                "machine.features.nodeAddressSortAlgorithm",
                format!("{alg:?} is not one of {ADDRESS_SORT_ALGORITHMS:?}"),
            );
        }
    }

    if cfg.persist == Some(false) {
        s.error("persist", "must be true");
    }

    // The deprecated overrides must still decode as an OCI runtime spec.
    if !m.base_runtime_spec_overrides.is_empty() {
        if let Err(e) = crate::documents::oci_spec::check_object(
            &m.base_runtime_spec_overrides.object,
            crate::documents::oci_spec::SPEC,
            "",
        ) {
            s.error(
                "machine.baseRuntimeSpecOverrides",
                format!("does not fit the OCI runtime spec: {e}"),
            );
        }
    }

    for key in &nulls.registry_configs {
        s.error(
            &format!("machine.registries.config.{key}"),
            "a registry config entry cannot be null",
        );
    }
    for key in &nulls.registry_mirrors {
        s.error(
            &format!("machine.registries.mirrors.{key}"),
            "a registry mirror entry cannot be null",
        );
    }

    if !options.skip_kubernetes_versions {
        kubernetes::validate_versions(cfg, machine_type, options, &mut s);
    }

    if options.strict {
        s.promote_warnings(warnings_before);
    }
}

/// Role-specific rules: CNI and CA keys on control planes, no VIPs or CA
/// keys on workers.
fn check_machine_type(cfg: &Config, m: &MachineConfig, t: MachineType, s: &mut Scope<'_>) {
    match t {
        MachineType::Init | MachineType::ControlPlane => {
            if let Some(network) = cfg.cluster.as_ref().and_then(|c| c.network.as_ref()) {
                cluster::validate_cni(network.cni.as_ref(), s);
            }
            match &m.ca {
                None => s.error(
                    "machine.ca",
                    "a control plane needs the Talos API issuing CA",
                ),
                Some(ca) if ca.key.is_empty() => s.error(
                    "machine.ca.key",
                    "a control plane needs the Talos API issuing CA key",
                ),
                Some(_) => {}
            }
        }
        MachineType::Worker => {
            for (i, d) in m
                .network
                .iter()
                .flat_map(|n| n.interfaces.iter())
                .enumerate()
            {
                if d.vip.is_some() {
                    s.error(
                        &format!("machine.network.interfaces[{i}].vip"),
                        "a shared (virtual) IP is only allowed on control plane machines",
                    );
                }
                for (j, vlan) in d.vlans.iter().enumerate() {
                    if vlan.vip.is_some() {
                        s.error(
                            &format!("machine.network.interfaces[{i}].vlans[{j}].vip"),
                            "a shared (virtual) IP is only allowed on control plane machines",
                        );
                    }
                }
            }
            if let Some(ca) = &m.ca {
                if !ca.key.is_empty() {
                    s.error(
                        "machine.ca.key",
                        "workers must not hold the Talos API CA key",
                    );
                }
                if ca.crt.is_empty() && m.accepted_cas.is_empty() {
                    s.error(
                        "machine.ca.crt",
                        "workers need a trusted CA certificate (machine.ca.crt or machine.acceptedCAs)",
                    );
                }
            }
            if let Some(ca) = cfg.cluster.as_ref().and_then(|c| c.ca.as_ref()) {
                if !ca.key.is_empty() {
                    s.error(
                        "cluster.ca.key",
                        "workers must not hold the Kubernetes API CA key",
                    );
                }
            }
        }
        MachineType::Unknown => s.error(
            "machine.type",
            format!("{:?} is not a machine type", m.machine_type),
        ),
    }
}

/// Log destinations: an endpoint with a host and a `tcp` or `udp` scheme,
/// and the only format Talos writes (upstream `LoggingConfig.Validate`).
fn check_logging(m: &MachineConfig, s: &mut Scope<'_>) {
    let Some(logging) = &m.logging else { return };
    for (i, dest) in logging.destinations.iter().enumerate() {
        let path = format!("machine.logging.destinations[{i}]");
        match &dest.endpoint {
            None => s.error(&format!("{path}.endpoint"), "an endpoint is required"),
            Some(ep) => {
                let url = ep.as_str();
                let u = crate::net::config_url(url);
                let scheme = u.scheme.as_str();
                if u.host.is_empty() {
                    s.error(&format!("{path}.endpoint"), format!("{url:?} has no host"));
                }
                if scheme != "tcp" && scheme != "udp" {
                    s.error(
                        &format!("{path}.endpoint"),
                        format!("scheme {scheme:?} is not supported (tcp or udp)"),
                    );
                }
            }
        }
        if dest.format != "json_lines" {
            s.error(
                &format!("{path}.format"),
                format!(
                    "{:?} is not a log format Talos writes (json_lines)",
                    dest.format
                ),
            );
        }
    }
}
