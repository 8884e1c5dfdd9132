//! The `cluster` section (upstream `ClusterConfig.Validate`, `ValidateCNI`,
//! `EtcdConfig.Validate` and the component `Validate` methods).

use std::collections::HashSet;

use talgen_config::meta::Unstructured;
use talgen_config::v1alpha1::{
    ApiServerConfig, ClusterConfig, CniConfig, EtcdConfig, ExternalCloudProviderConfig,
    ResourcesConfig,
};

use talgen_gourl::{go_quote, GoUrl};

use crate::net;
use crate::report::Scope;

/// Authorizer types the API server's structured authorization accepts.
pub(crate) const AUTHORIZER_TYPES: &[&str] = &["Node", "RBAC", "Webhook"];

pub(super) fn validate(cluster: Option<&ClusterConfig>, control_plane: bool, s: &mut Scope<'_>) {
    let Some(c) = cluster else {
        s.error("cluster", "the cluster section is required");
        return;
    };
    if let Some(cp) = &c.control_plane {
        let Some(endpoint) = &cp.endpoint else {
            // Upstream stops checking the section here.
            s.error(
                "cluster.controlPlane.endpoint",
                "the control plane endpoint is required",
            );
            return;
        };
        if let Err(e) = net::check_endpoint_uri(endpoint.as_str()) {
            s.error("cluster.controlPlane.endpoint", e);
        }
    }
    if let Some(network) = &c.network {
        if !network.dns_domain.is_empty() && !net::is_valid_dns_name(&network.dns_domain) {
            s.error(
                "cluster.network.dnsDomain",
                format!("{:?} is not a DNS name", network.dns_domain),
            );
        }
    }
    if let Some(ecp) = &c.external_cloud_provider {
        validate_external_cloud_provider(ecp, s);
    }
    if let Some(etcd) = &c.etcd {
        if control_plane {
            validate_etcd(etcd, s);
        } else {
            s.error(
                "cluster.etcd",
                "etcd settings belong on control plane machines only",
            );
        }
    }
    if let Some(ca) = &c.ca {
        if !control_plane && !ca.key.is_empty() {
            s.error("cluster.ca.key", "workers must not hold the cluster CA key");
        }
    }
    validate_inline_manifests(c, s);
    validate_discovery(c, s);
    if let Some(api) = &c.api_server {
        validate_api_server(api, s);
    }
    if let Some(cm) = &c.controller_manager {
        check_resources(
            cm.resources.as_ref(),
            "cluster.controllerManager.resources",
            s,
        );
    }
    if let Some(sched) = &c.scheduler {
        check_resources(sched.resources.as_ref(), "cluster.scheduler.resources", s);
    }
}

/// The CNI choice: `flannel`, `custom` (with URLs) or `none`, each without
/// the others' settings.
pub(super) fn validate_cni(cni: Option<&CniConfig>, s: &mut Scope<'_>) {
    let path = "cluster.network.cni";
    let default = CniConfig::named("flannel");
    let cni = cni.unwrap_or(&default);
    let extra_args = cni
        .flannel
        .as_ref()
        .is_some_and(|f| !f.extra_args.is_empty());
    let policies = cni
        .flannel
        .as_ref()
        .is_some_and(|f| f.kube_network_policies_enabled == Some(true));
    let name = cni.name.as_str();
    match name {
        "flannel" | "none" | "custom" => {}
        _ => {
            s.error(
                &format!("{path}.name"),
                format!("{name:?} is not one of \"flannel\", \"custom\", \"none\""),
            );
            return;
        }
    }
    if name != "custom" && !cni.urls.is_empty() {
        s.error(
            &format!("{path}.urls"),
            format!("must be empty for the {name:?} CNI"),
        );
    }
    if name == "custom" && cni.urls.is_empty() {
        s.warn(
            &format!("{path}.urls"),
            "the \"custom\" CNI should list manifest URLs",
        );
    }
    if name != "flannel" && extra_args {
        s.error(
            &format!("{path}.flannel.extraArgs"),
            format!("must be empty for the {name:?} CNI"),
        );
    }
    if name != "flannel" && policies {
        s.error(
            &format!("{path}.flannel.kubeNetworkPoliciesEnabled"),
            format!("must not be enabled for the {name:?} CNI"),
        );
    }
    if name == "custom" {
        for (i, url) in cni.urls.iter().enumerate() {
            if let Err(e) = net::check_endpoint_uri(url) {
                s.error(&format!("{path}.urls[{i}]"), e);
            }
        }
    }
}

fn validate_external_cloud_provider(ecp: &ExternalCloudProviderConfig, s: &mut Scope<'_>) {
    let path = "cluster.externalCloudProvider";
    if ecp.enabled != Some(true) && !ecp.manifests.is_empty() {
        s.error(
            &format!("{path}.manifests"),
            "manifests are listed but the external cloud provider is disabled",
        );
        return;
    }
    for (i, url) in ecp.manifests.iter().enumerate() {
        if let Err(e) = net::check_endpoint_uri(url) {
            s.error(&format!("{path}.manifests[{i}]"), format!("{url:?}: {e}"));
        }
    }
}

fn validate_etcd(etcd: &EtcdConfig, s: &mut Scope<'_>) {
    // Only a missing section counts: an empty `ca: {}` passes upstream.
    if etcd.ca.is_none() {
        s.error(
            "cluster.etcd.ca",
            "the etcd CA certificate and key are required",
        );
    }
    if !etcd.subnet.is_empty() && !etcd.advertised_subnets.is_empty() {
        s.error(
            "cluster.etcd.subnet",
            "subnet and advertisedSubnets cannot both be set",
        );
    }
    let advertised: Vec<&String> = if etcd.advertised_subnets.is_empty() && !etcd.subnet.is_empty()
    {
        vec![&etcd.subnet]
    } else {
        etcd.advertised_subnets.iter().collect()
    };
    for cidr in advertised {
        if net::check_subnet_or_address(cidr.strip_prefix('!').unwrap_or(cidr)).is_err() {
            s.error(
                "cluster.etcd.advertisedSubnets",
                format!("{cidr:?} is not a subnet or address"),
            );
        }
    }
    // Listen subnets fall back to the advertised ones (not to `subnet`),
    // so a bad advertised subnet is reported twice, as upstream does.
    let listen = if etcd.listen_subnets.is_empty() {
        &etcd.advertised_subnets
    } else {
        &etcd.listen_subnets
    };
    for cidr in listen {
        if net::check_subnet_or_address(cidr.strip_prefix('!').unwrap_or(cidr)).is_err() {
            s.error(
                "cluster.etcd.listenSubnets",
                format!("{cidr:?} is not a subnet or address"),
            );
        }
    }
}

fn validate_inline_manifests(c: &ClusterConfig, s: &mut Scope<'_>) {
    let mut names = HashSet::new();
    for (i, manifest) in c.inline_manifests.iter().flatten().enumerate() {
        let path = format!("cluster.inlineManifests[{i}].name");
        if manifest.name.trim().is_empty() {
            s.error(&path, "an inline manifest needs a name");
        }
        if !names.insert(manifest.name.as_str()) {
            s.error(
                &path,
                format!("inline manifest name {:?} is used twice", manifest.name),
            );
        }
    }
}

fn validate_discovery(c: &ClusterConfig, s: &mut Scope<'_>) {
    let Some(d) = c.discovery.as_ref().filter(|d| d.enabled == Some(true)) else {
        return;
    };
    if !d.registries.service.is_enabled() {
        return;
    }
    let endpoint = d.registries.service.effective_endpoint();
    let path = "cluster.discovery.registries.service.endpoint";
    match GoUrl::parse_request_uri(endpoint) {
        Err(e) => s.error(
            path,
            format!("not a valid endpoint: parse {}: {e}", go_quote(endpoint)),
        ),
        Ok(u) if !matches!(u.decoded_path().as_str(), "" | "/") => {
            s.error(path, "the discovery service endpoint must not have a path")
        }
        Ok(_) => {}
    }
    if c.id.is_empty() {
        s.error("cluster.id", "the discovery service needs the cluster id");
    }
    if c.secret.is_empty() {
        s.error(
            "cluster.secret",
            "the discovery service needs the cluster secret",
        );
    }
}

fn validate_api_server(api: &ApiServerConfig, s: &mut Scope<'_>) {
    let path = "cluster.apiServer";
    if !api.authorization_config.is_empty() {
        for key in api.extra_args.keys() {
            if key == "authorization-mode" || key.starts_with("authorization-webhook-") {
                s.error(
                    &format!("{path}.extraArgs.{key}"),
                    "conflicts with authorizationConfig; use one or the other",
                );
                return;
            }
        }
    }
    for (i, a) in api.authorization_config.iter().enumerate() {
        let p = format!("{path}.authorizationConfig[{i}]");
        if let Err(e) = check_authorizer(&a.authorizer_type, &a.name) {
            s.error(&p, e);
            return;
        }
    }
    check_resources(api.resources.as_ref(), &format!("{path}.resources"), s);
}

/// An authorizer entry: type and name set, type one Kubernetes knows.
pub(crate) fn check_authorizer(kind: &str, name: &str) -> Result<(), String> {
    if kind.is_empty() {
        return Err("the authorizer type is required".to_owned());
    }
    if name.is_empty() {
        return Err("the authorizer name is required".to_owned());
    }
    if !AUTHORIZER_TYPES.contains(&kind) {
        return Err(format!(
            "authorizer type {kind:?} is not one of {AUTHORIZER_TYPES:?}"
        ));
    }
    Ok(())
}

/// Pod resources may only name `cpu` and `memory` (first offender reported).
pub(crate) fn check_resources(r: Option<&ResourcesConfig>, path: &str, s: &mut Scope<'_>) {
    let Some(r) = r else { return };
    if let Some(e) = unsupported_resource(&r.requests).or_else(|| unsupported_resource(&r.limits)) {
        s.error(path, e);
    }
}

/// The first resource key other than `cpu` and `memory`, as a message.
pub(crate) fn unsupported_resource(u: &Unstructured) -> Option<String> {
    u.object
        .keys()
        .find(|k| *k != "cpu" && *k != "memory")
        .map(|k| format!("pod resource {k:?} is not supported (cpu, memory)"))
}
