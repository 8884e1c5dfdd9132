//! The kubelet section and Kubernetes image versions (upstream
//! `KubeletConfig.Validate` and `Config.ValidateKubernetesVersions`).

use talgen_config::meta::Unstructured;
use talgen_config::v1alpha1::{Config, KubeletConfig};

use super::MachineType;
use crate::kubernetes_compat::check_image;
use crate::mode::Options;
use crate::net;
use crate::report::Scope;

/// Kubernetes version Talos v1.14 machinery assumes when an image is not
/// given (`constants.DefaultKubernetesVersion`).
pub(crate) const DEFAULT_KUBERNETES_VERSION: &str = "1.37.0-rc.1";

/// Kubelet configuration keys Talos manages itself
/// (`kubelet.ProtectedConfigurationFields`).
pub(crate) const PROTECTED_KUBELET_FIELDS: &[&str] = &[
    "apiVersion",
    "authentication",
    "authorization",
    "cgroupRoot",
    "kind",
    "kubeletCgroups",
    "port",
    "protectKernelDefaults",
    "resolvConf",
    "rotateCertificates",
    "systemCgroups",
    "staticPodPath",
    "seccompDefault",
];

/// Every protected kubelet field set in `config`, in the order upstream
/// checks them.
pub(crate) fn protected_fields(config: &Unstructured) -> impl Iterator<Item = &'static str> + '_ {
    PROTECTED_KUBELET_FIELDS
        .iter()
        .copied()
        .filter(|f| config.object.contains_key(*f))
}

pub(super) fn validate_kubelet(k: &KubeletConfig, s: &mut Scope<'_>) {
    if let Some(node_ip) = &k.node_ip {
        for cidr in &node_ip.valid_subnets {
            if net::check_subnet_or_address(cidr.strip_prefix('!').unwrap_or(cidr)).is_err() {
                s.error(
                    "machine.kubelet.nodeIP.validSubnets",
                    format!("{cidr:?} is not a subnet or address"),
                );
            }
        }
    }
    for field in protected_fields(&k.extra_config) {
        s.error(
            &format!("machine.kubelet.extraConfig.{field}"),
            "Talos manages this kubelet setting; it cannot be overridden",
        );
    }
}

/// An image, or the default image of a component when empty.
fn image_or_default(image: &str, repo: &str) -> String {
    if image.is_empty() {
        format!("{repo}:v{DEFAULT_KUBERNETES_VERSION}")
    } else {
        image.to_owned()
    }
}

pub(super) fn validate_versions(cfg: &Config, t: MachineType, o: &Options, s: &mut Scope<'_>) {
    let release = o.talos_version;
    if let Some(kubelet) = cfg.machine.as_ref().and_then(|m| m.kubelet.as_ref()) {
        let image = image_or_default(&kubelet.image, "ghcr.io/siderolabs/kubelet");
        if let Err(e) = check_image(&image, release) {
            s.error("machine.kubelet.image", e);
        }
    }
    let Some(c) = &cfg.cluster else { return };
    if cfg.machine.is_none() || !t.is_control_plane() {
        return;
    }
    let images = [
        (
            "cluster.apiServer.image",
            c.api_server.as_ref().map_or("", |a| a.image.as_str()),
            "registry.k8s.io/kube-apiserver",
        ),
        (
            "cluster.controllerManager.image",
            c.controller_manager
                .as_ref()
                .map_or("", |a| a.image.as_str()),
            "registry.k8s.io/kube-controller-manager",
        ),
        (
            "cluster.scheduler.image",
            c.scheduler.as_ref().map_or("", |a| a.image.as_str()),
            "registry.k8s.io/kube-scheduler",
        ),
    ];
    for (path, image, repo) in images {
        if let Err(e) = check_image(&image_or_default(image, repo), release) {
            s.error(path, e);
        }
    }
}
