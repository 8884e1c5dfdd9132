//! Defaults and fixed names generation uses, ported as data from
//! `pkg/machinery/constants`, `pkg/images` and `pkg/machinery/gendata` of
//! Talos at the revision talgen follows (machinery tag v1.14.0-beta.1).

/// Kubernetes version `talosctl gen config` targets when none is given.
pub const DEFAULT_KUBERNETES_VERSION: &str = "1.37.0-rc.1";

/// Talos release tag of the machinery talgen reproduces; the tag of the
/// default installer image.
pub const TALOS_VERSION_TAG: &str = "v1.14.0-beta.1";

/// Image Factory host serving installer images.
pub const IMAGE_FACTORY: &str = "factory.talos.dev";

/// Schematic ID of the empty (vanilla) Image Factory schematic.
pub const DEFAULT_INSTALLER_SCHEMATIC: &str =
    "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";

/// Install image `talosctl gen config` defaults to: the metal installer of
/// the empty schematic, tagged with [`TALOS_VERSION_TAG`].
pub fn default_install_image() -> String {
    installer_image(TALOS_VERSION_TAG)
}

/// The metal installer image of the empty schematic with tag `tag`.
pub fn installer_image(tag: &str) -> String {
    format!("{IMAGE_FACTORY}/metal-installer/{DEFAULT_INSTALLER_SCHEMATIC}:{tag}")
}

/// Install disk `talosctl gen config` defaults to.
pub const DEFAULT_INSTALL_DISK: &str = "/dev/sda";

/// Port of the Kubernetes API server added to endpoints given without one.
pub const DEFAULT_CONTROL_PLANE_PORT: u16 = 6443;

/// Cluster DNS domain used unless overridden.
pub const DEFAULT_DNS_DOMAIN: &str = "cluster.local";

/// Pod network for IPv4 clusters.
pub const DEFAULT_IPV4_POD_CIDR: &str = "10.244.0.0/16";
/// Service network for IPv4 clusters.
pub const DEFAULT_IPV4_SERVICE_CIDR: &str = "10.96.0.0/12";
/// Pod network for IPv6 clusters.
pub const DEFAULT_IPV6_POD_CIDR: &str = "fc00:db8:10::/56";
/// Service network for IPv6 clusters.
pub const DEFAULT_IPV6_SERVICE_CIDR: &str = "fc00:db8:20::/112";

/// Repository of the kubelet image Talos runs.
pub const KUBELET_IMAGE: &str = "ghcr.io/siderolabs/kubelet";
/// Repository of the kube-apiserver image.
pub const KUBE_APISERVER_IMAGE: &str = "registry.k8s.io/kube-apiserver";
/// Repository of the kube-controller-manager image.
pub const KUBE_CONTROLLER_MANAGER_IMAGE: &str = "registry.k8s.io/kube-controller-manager";
/// Repository of the kube-scheduler image.
pub const KUBE_SCHEDULER_IMAGE: &str = "registry.k8s.io/kube-scheduler";
/// Repository of the kube-proxy image.
pub const KUBE_PROXY_IMAGE: &str = "registry.k8s.io/kube-proxy";

/// Port KubePrism listens on when enabled by default.
pub const DEFAULT_KUBEPRISM_PORT: u16 = 7445;

/// Discovery service endpoint enabled by default.
pub const DEFAULT_DISCOVERY_SERVICE_ENDPOINT: &str = "https://discovery.talos.dev/";

/// CNI name meaning "manifests from URLs" in the legacy cluster network.
pub const CUSTOM_CNI: &str = "custom";

/// Flannel backend configured by default.
pub const FLANNEL_DEFAULT_BACKEND: &str = "vxlan";
/// UDP port of the default flannel backend.
pub const FLANNEL_DEFAULT_BACKEND_PORT: u16 = 4789;

/// Node label every control-plane node carries.
pub const LABEL_NODE_ROLE_CONTROL_PLANE: &str = "node-role.kubernetes.io/control-plane";
/// Node label keeping a node out of external load balancers.
pub const LABEL_EXCLUDE_FROM_EXTERNAL_LB: &str =
    "node.kubernetes.io/exclude-from-external-load-balancers";
/// Taint effect applied to control planes that do not schedule workloads.
pub const TAINT_EFFECT_NO_SCHEDULE: &str = "NoSchedule";

/// Volume label of the ephemeral partition.
pub const EPHEMERAL_PARTITION_LABEL: &str = "EPHEMERAL";

/// Default filesystem trim interval in hours (one week; written `168h0m0s`).
pub const DEFAULT_FILESYSTEM_TRIM_INTERVAL_HOURS: i64 = 7 * 24;

/// Alternate registries written for `k8s.gcr.io` by the v1.2 contract only.
pub const K8S_GCR_ALTERNATE_ENDPOINTS: [&str; 2] =
    ["https://registry.k8s.io", "https://k8s.gcr.io"];

/// Image reference `repository:vVERSION` as Talos builds component images.
pub(crate) fn image(repository: &str, kubernetes_version: &str) -> String {
    format!("{repository}:v{kubernetes_version}")
}
