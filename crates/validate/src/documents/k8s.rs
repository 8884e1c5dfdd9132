//! Kubernetes component kinds (`types/k8s/*.go` `Validate` methods).

use std::net::IpAddr;

use talgen_config::meta::Prefix;
use talgen_config::types::k8s::{
    KubeAPIServerCAConfig, KubeAPIServerConfig, KubeAdmissionControlConfig, KubeAggregatorCAConfig,
    KubeAuthorizerConfig, KubeClusterConfig, KubeControllerManagerConfig, KubeEtcdEncryptionConfig,
    KubeExternalManifestConfig, KubeFlannelCNIConfig, KubeInlineManifestConfig, KubeNetworkConfig,
    KubeNodeConfig, KubePrismConfig, KubeProxyConfig, KubeSchedulerConfig,
    KubeServiceAccountConfig, KubeStaticPodConfig, KubeTalosAPIAccessConfig, KubeletConfig,
    ResourcesConfig,
};

use crate::kubernetes_compat::check_image;
use crate::mode::Options;
use crate::report::Scope;
use crate::v1alpha1::{protected_fields, unsupported_resource, AUTHORIZER_TYPES, TALOS_ROLES};
use crate::{labels, net, pem};

/// An image is required, and its Kubernetes version must suit the target release.
fn image(image: &str, options: &Options, s: &mut Scope<'_>) {
    if image.is_empty() {
        s.error("image", "an image is required");
    } else if !options.skip_kubernetes_versions {
        if let Err(e) = check_image(image, options.talos_version) {
            s.error("image", e);
        }
    }
}

fn resources(r: &ResourcesConfig, s: &mut Scope<'_>) {
    if let Some(e) = unsupported_resource(&r.requests).or_else(|| unsupported_resource(&r.limits)) {
        s.error("resources", e);
    }
}

pub(super) fn kubelet(d: &KubeletConfig, options: &Options, s: &mut Scope<'_>) {
    image(&d.image, options, s);
    for field in protected_fields(&d.config) {
        s.error(
            &format!("config.{field}"),
            "Talos manages this kubelet setting; it cannot be overridden",
        );
    }
}

/// kube-apiserver flags that have a dedicated document instead, by prefix.
const DENIED_API_SERVER_ARGS: &[(&str, &str)] = &[
    ("anonymous-auth", "KubeAuthenticationConfig"),
    ("authentication-config", "KubeAuthenticationConfig"),
    ("authorization-config", "KubeAuthorizationConfig"),
    ("authorization-mode", "KubeAuthorizationConfig"),
    ("authorization-webhook-", "KubeAuthorizationConfig"),
    ("oidc-", "KubeAuthenticationConfig"),
];

pub(super) fn api_server(d: &KubeAPIServerConfig, options: &Options, s: &mut Scope<'_>) {
    image(&d.image, options, s);
    for (prefix, instead) in DENIED_API_SERVER_ARGS {
        for arg in d.extra_args.keys().filter(|a| a.starts_with(prefix)) {
            s.error(
                &format!("extraArgs.{arg}"),
                format!("this flag is not allowed; use a {instead} document"),
            );
        }
    }
    resources(&d.resources, s);
}

pub(super) fn controller_manager(d: &KubeControllerManagerConfig, o: &Options, s: &mut Scope<'_>) {
    if d.enabled == Some(false) {
        return;
    }
    image(&d.image, o, s);
    resources(&d.resources, s);
}

pub(super) fn scheduler(d: &KubeSchedulerConfig, o: &Options, s: &mut Scope<'_>) {
    if d.enabled == Some(false) {
        return;
    }
    image(&d.image, o, s);
    resources(&d.resources, s);
}

pub(super) fn proxy(d: &KubeProxyConfig, o: &Options, s: &mut Scope<'_>) {
    if d.enabled == Some(false) {
        return;
    }
    image(&d.image, o, s);
    match d.mode.as_str() {
        "" | "nftables" => {}
        "iptables" | "ipvs" => s.warn(
            "mode",
            format!("{:?} is discouraged; prefer nftables", d.mode),
        ),
        other => s.error(
            "mode",
            format!("{other:?} is not iptables, ipvs or nftables"),
        ),
    }
    if !d.extra_args.is_empty() {
        s.warn(
            "extraArgs",
            "kube-proxy flags may misbehave; prefer the config field",
        );
    }
    resources(&d.resources, s);
}

pub(super) fn node(d: &KubeNodeConfig, s: &mut Scope<'_>) {
    for cidr in &d.node_ip.valid_subnets {
        if net::check_subnet_or_address(cidr.strip_prefix('!').unwrap_or(cidr)).is_err() {
            s.error(
                "nodeIP.validSubnets",
                format!("{cidr:?} is not a subnet or address"),
            );
        }
    }
    for e in labels::check_labels(&d.labels) {
        s.error("labels", e);
    }
    for e in labels::check_annotations(&d.annotations) {
        s.error("annotations", e);
    }
    for e in labels::check_taints(&d.taints) {
        s.error("taints", e);
    }
}

pub(super) fn cluster(d: &KubeClusterConfig, s: &mut Scope<'_>) {
    if d.cluster_name.is_empty() {
        s.error("clusterName", "a cluster name is required");
    }
    if d.endpoint.is_empty() {
        s.error("endpoint", "an endpoint is required");
    } else if let Err(e) = net::check_endpoint_uri(d.endpoint.as_str()) {
        s.error("endpoint", e);
    }
}

/// Fewest host bits a pod or service subnet may leave (upstream `minSubnetHostBits`).
const MIN_SUBNET_HOST_BITS: u8 = 4;
/// Most host bits a service subnet may have (`constants.MaxHostBitsForServiceSubnet`).
const MAX_SERVICE_HOST_BITS: u8 = 20;
/// Largest gap between a pod subnet and the per-node mask
/// (`constants.PodSubnetNodeMaskMaxDiff`).
const POD_SUBNET_NODE_MASK_MAX_DIFF: u8 = 16;
/// Per-node mask sizes used when the document leaves them at zero.
const DEFAULT_NODE_MASK_IPV4: u8 = 24;
const DEFAULT_NODE_MASK_IPV6: u8 = 64;

fn is_masked(ip: IpAddr, bits: u8) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let n = u32::from(v4);
            bits >= 32 || n & (u32::MAX >> bits) == 0
        }
        IpAddr::V6(v6) => {
            let n = u128::from(v6);
            bits >= 128 || n & (u128::MAX >> bits) == 0
        }
    }
}

/// Size rule applied to each well-formed subnet of a list.
type SizeRule<'a> = &'a dyn Fn(Prefix, IpAddr, u8) -> Result<(), String>;

/// Upstream `validateSubnets`: one or two subnets, at most one per family,
/// each a masked CIDR leaving enough host bits and passing `size`.
fn check_subnets(list: &[Prefix], size: SizeRule<'_>) -> Result<(), String> {
    if list.is_empty() {
        return Err("at least one subnet is required".to_owned());
    }
    if list.len() > 2 {
        return Err("at most two subnets (one per IP family) are allowed".to_owned());
    }
    let (mut v4, mut v6) = (0, 0);
    for p in list {
        let Some((ip, bits)) = p.0 else {
            return Err(format!("{p} is not a subnet"));
        };
        if !is_masked(ip, bits) {
            return Err(format!("{p} has host bits set"));
        }
        let len = if ip.is_ipv4() { 32 } else { 128 };
        if len - bits.min(len) < MIN_SUBNET_HOST_BITS {
            return Err(format!(
                "{p} is too small: it must leave at least {MIN_SUBNET_HOST_BITS} host bits"
            ));
        }
        size(*p, ip, bits)?;
        if ip.is_ipv4() {
            v4 += 1;
        } else {
            v6 += 1;
        }
    }
    if v4 > 1 || v6 > 1 {
        return Err("at most one IPv4 and one IPv6 subnet are allowed".to_owned());
    }
    Ok(())
}

/// The per-node mask for a family, `None` when the configured one is out of range
/// (that error is reported once, on the mask field).
fn node_mask(configured: i64, default: u8, max: i64) -> Option<u8> {
    match configured {
        0 => Some(default),
        m if (1..=max).contains(&m) => u8::try_from(m).ok(),
        _ => None,
    }
}

pub(super) fn network(d: &KubeNetworkConfig, s: &mut Scope<'_>) {
    let mask4 = node_mask(d.node_cidr_mask_size_ipv4, DEFAULT_NODE_MASK_IPV4, 32);
    let mask6 = node_mask(d.node_cidr_mask_size_ipv6, DEFAULT_NODE_MASK_IPV6, 128);
    if mask4.is_none() {
        s.error("nodeCIDRMaskSizeIPv4", "must be between 1 and 32");
    }
    if mask6.is_none() {
        s.error("nodeCIDRMaskSizeIPv6", "must be between 1 and 128");
    }
    let pod_size = |p: Prefix, ip: IpAddr, bits: u8| -> Result<(), String> {
        let Some(node) = (if ip.is_ipv4() { mask4 } else { mask6 }) else {
            return Ok(());
        };
        if bits > node {
            return Err(format!(
                "{p} is smaller than the per-node pod CIDR mask /{node}"
            ));
        }
        if node - bits > POD_SUBNET_NODE_MASK_MAX_DIFF {
            return Err(format!(
                "{p} is too large for the per-node pod CIDR mask /{node}: they may differ by at most {POD_SUBNET_NODE_MASK_MAX_DIFF} bits"
            ));
        }
        Ok(())
    };
    let service_size = |p: Prefix, ip: IpAddr, bits: u8| -> Result<(), String> {
        let len = if ip.is_ipv4() { 32 } else { 128 };
        if len - bits > MAX_SERVICE_HOST_BITS {
            return Err(format!(
                "{p} is too large: it must be /{} or smaller",
                len - MAX_SERVICE_HOST_BITS
            ));
        }
        Ok(())
    };
    if let Err(e) = check_subnets(&d.pod_subnets, &pod_size) {
        s.error("podSubnets", e);
    }
    if let Err(e) = check_subnets(&d.service_subnets, &service_size) {
        s.error("serviceSubnets", e);
    }
    if d.pod_subnets.len() != d.service_subnets.len() {
        s.error(
            "podSubnets",
            "there must be as many pod subnets as service subnets",
        );
    }
}

pub(super) fn admission_control(d: &KubeAdmissionControlConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "the admission plugin name is required");
    }
}

pub(super) fn flannel(d: &KubeFlannelCNIConfig, s: &mut Scope<'_>) {
    if d.backend_type.is_empty() {
        s.error("backendType", "a flannel backend type is required");
    }
    resources(&d.resources, s);
}

pub(super) fn kubeprism(d: &KubePrismConfig, s: &mut Scope<'_>) {
    if !(1..=65535).contains(&d.port) {
        s.error("port", format!("{} is outside 1-65535", d.port));
    }
}

fn accepted_cas(cas: &[String], s: &mut Scope<'_>) {
    for (i, ca) in cas.iter().enumerate() {
        if let Err(e) = pem::check_pem(ca, &["CERTIFICATE"]) {
            s.error(&format!("acceptedCAs[{i}]"), e);
        }
    }
}

pub(super) fn api_server_ca(d: &KubeAPIServerCAConfig, s: &mut Scope<'_>) {
    if let Some(ca) = &d.issuing_ca {
        if let Err(e) = pem::check_cert_and_key(&ca.cert, &ca.key, true) {
            s.error("issuingCA", e);
        }
    }
    accepted_cas(&d.accepted_cas, s);
}

pub(super) fn aggregator_ca(d: &KubeAggregatorCAConfig, s: &mut Scope<'_>) {
    match &d.issuing_ca {
        None => s.error("issuingCA", "the issuing CA is required"),
        Some(ca) => {
            if let Err(e) = pem::check_cert_and_key(&ca.cert, &ca.key, true) {
                s.error("issuingCA", e);
            }
        }
    }
    accepted_cas(&d.accepted_cas, s);
}

pub(super) fn service_account(d: &KubeServiceAccountConfig, s: &mut Scope<'_>) {
    if d.issuer.private_key.is_empty() {
        s.error("issuer.privateKey", "the issuer private key is required");
    } else if let Err(e) = pem::check_private_key(&d.issuer.private_key) {
        s.error("issuer.privateKey", e);
    }
    if d.issuer.issuer_url.is_empty() {
        s.error("issuer.issuerURL", "the issuer URL is required");
    }
}

pub(super) fn talos_api_access(d: &KubeTalosAPIAccessConfig, s: &mut Scope<'_>) {
    for role in &d.allowed_roles {
        if !TALOS_ROLES.contains(&role.as_str()) {
            s.error("allowedRoles", format!("{role:?} is not a Talos API role"));
        }
    }
}

fn manifest_name(name: &str, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "a name is required");
    } else if let Err(e) = labels::check_dns1123_subdomain(name) {
        s.error("name", e);
    }
}

pub(super) fn inline_manifest(d: &KubeInlineManifestConfig, s: &mut Scope<'_>) {
    manifest_name(&d.name, s);
}

pub(super) fn external_manifest(d: &KubeExternalManifestConfig, s: &mut Scope<'_>) {
    manifest_name(&d.name, s);
    if d.url.is_empty() {
        s.error("url", "a URL is required");
    } else {
        let scheme = crate::net::config_url(d.url.as_str()).scheme;
        if scheme != "http" && scheme != "https" {
            s.error("url", format!("scheme {scheme:?} is not http or https"));
        }
    }
}

pub(super) fn static_pod(d: &KubeStaticPodConfig, s: &mut Scope<'_>) {
    manifest_name(&d.name, s);
    if d.pod.is_empty() {
        s.error("pod", "a pod spec is required");
    }
}

pub(super) fn etcd_encryption(d: &KubeEtcdEncryptionConfig, s: &mut Scope<'_>) {
    if d.config.is_empty() {
        s.error("config", "an encryption configuration is required");
    }
}

pub(super) fn authorizer(d: &KubeAuthorizerConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "an authorizer name is required");
    }
    if d.authorizer_type.is_empty() {
        s.error("type", "an authorizer type is required");
    }
    if !AUTHORIZER_TYPES.contains(&d.authorizer_type.as_str()) {
        s.error(
            "type",
            format!("{:?} is not one of {AUTHORIZER_TYPES:?}", d.authorizer_type),
        );
    }
    let webhook = d.authorizer_type == "Webhook";
    if webhook && d.webhook.is_empty() {
        s.error(
            "webhook",
            "a Webhook authorizer needs its webhook configuration",
        );
    }
    if !webhook && !d.webhook.is_empty() {
        s.warn(
            "webhook",
            "only Webhook authorizers take a webhook configuration",
        );
    }
}
