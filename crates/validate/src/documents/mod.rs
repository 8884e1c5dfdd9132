//! Rules for the multi-document kinds: each kind's own `Validate` and its
//! `V1Alpha1ConflictValidate` against the legacy document.

mod block;
mod cluster;
mod conflicts;
mod container;
mod cri;
mod k8s;
mod links;
mod network;
pub(crate) mod oci_spec;
mod runtime;
mod security;
mod storage;

use talgen_config::Document;

use crate::mode::{Mode, Options};
use crate::report::Report;

pub(crate) use conflicts::conflicts;
pub(crate) use container::dependency_problems;

/// How problems of a document are attributed: `Kind` or `Kind/name`.
pub(crate) fn doc_id(doc: &Document) -> String {
    match doc.name() {
        Some(name) => format!("{}/{}", doc.kind(), name),
        None => doc.kind().to_owned(),
    }
}

/// Runs the document's own rules.
pub(crate) fn validate(doc: &Document, mode: Mode, options: &Options, report: &mut Report) {
    let mut s = report.doc(doc_id(doc));
    let s = &mut s;
    match doc {
        Document::KubeletConfig(d) => k8s::kubelet(d, options, s),
        Document::KubeAPIServerConfig(d) => k8s::api_server(d, options, s),
        Document::KubeControllerManagerConfig(d) => k8s::controller_manager(d, options, s),
        Document::KubeSchedulerConfig(d) => k8s::scheduler(d, options, s),
        Document::KubeProxyConfig(d) => k8s::proxy(d, options, s),
        Document::KubeNodeConfig(d) => k8s::node(d, s),
        Document::KubeClusterConfig(d) => k8s::cluster(d, s),
        Document::KubeNetworkConfig(d) => k8s::network(d, s),
        Document::KubePrismConfig(d) => k8s::kubeprism(d, s),
        Document::KubeAPIServerCAConfig(d) => k8s::api_server_ca(d, s),
        Document::KubeAggregatorCAConfig(d) => k8s::aggregator_ca(d, s),
        Document::KubeServiceAccountConfig(d) => k8s::service_account(d, s),
        Document::KubeTalosAPIAccessConfig(d) => k8s::talos_api_access(d, s),
        Document::KubeInlineManifestConfig(d) => k8s::inline_manifest(d, s),
        Document::KubeExternalManifestConfig(d) => k8s::external_manifest(d, s),
        Document::KubeStaticPodConfig(d) => k8s::static_pod(d, s),
        Document::KubeEtcdEncryptionConfig(d) => k8s::etcd_encryption(d, s),
        Document::KubeAuthorizerConfig(d) => k8s::authorizer(d, s),
        Document::DiscoveryIdentityConfig(d) => cluster::discovery_identity(d, s),
        Document::DiscoveryServiceConfig(d) => cluster::discovery_service(d, s),
        Document::KubeSpanConfig(d) => network::kubespan(d, s),
        Document::HostnameConfig(d) => network::hostname(d, s),
        Document::UnattendedInstallConfig(d) => runtime::unattended_install(d, mode, s),
        Document::VolumeConfig(d) => block::volume(d, s),
        Document::UserVolumeConfig(d) => block::user_volume(d, s),
        Document::RawVolumeConfig(d) => block::raw_volume(d, s),
        Document::SwapVolumeConfig(d) => block::swap_volume(d, s),
        Document::ExistingVolumeConfig(d) => block::existing_volume(d, s),
        Document::ExternalVolumeConfig(d) => block::external_volume(d, s),
        Document::FilesystemTrimConfig(d) => block::filesystem_trim(d, s),
        Document::FilesystemScrubConfig(d) => block::filesystem_scrub(d, s),
        Document::ZswapConfig(d) => block::zswap(d, s),
        Document::LinkConfig(d) => links::link(d, s),
        Document::DummyLinkConfig(d) => links::dummy(d, s),
        Document::BridgeConfig(d) => links::bridge(d, s),
        Document::BondConfig(d) => links::bond(d, s),
        Document::VLANConfig(d) => links::vlan(d, s),
        Document::VRFConfig(d) => links::vrf(d, s),
        Document::VethConfig(d) => links::veth(d, s),
        Document::WireguardConfig(d) => links::wireguard(d, s),
        Document::LinkAliasConfig(d) => links::link_alias(d, s),
        Document::Layer2VIPConfig(d) => network::layer2_vip(d, s),
        Document::HCloudVIPConfig(d) => network::hcloud_vip(d, s),
        Document::BlackholeRouteConfig(d) => network::blackhole_route(d, s),
        Document::RoutingRuleConfig(d) => network::routing_rule(d, s),
        Document::TCPProbeConfig(d) => network::tcp_probe(d, s),
        Document::HTTPProbeConfig(d) => network::http_probe(d, s),
        Document::TimeSyncConfig(d) => network::time_sync(d, s),
        Document::ResolverConfig(d) => network::resolver(d, s),
        Document::StaticHostConfig(d) => network::static_host(d, s),
        Document::DHCPv4Config(d) => network::dhcp4(d, s),
        Document::DHCPv6Config(d) => network::dhcp6(d, s),
        Document::EthernetConfig(d) => network::ethernet(d, s),
        Document::NetworkRuleConfig(d) => network::network_rule(d, s),
        Document::BGPInstanceConfig(d) => network::bgp(d, s),
        Document::RegistryMirrorConfig(d) => cri::mirror(d, s),
        Document::RegistryAuthConfig(d) => cri::auth(d, s),
        Document::RegistryTLSConfig(d) => cri::tls(d, s),
        Document::EventSinkConfig(d) => runtime::event_sink(d, s),
        Document::KmsgLogConfig(d) => runtime::kmsg_log(d, s),
        Document::WatchdogTimerConfig(d) => runtime::watchdog_timer(d, s),
        Document::EnvironmentConfig(d) => runtime::environment(d, s),
        Document::OOMConfig(d) => runtime::oom(d, s),
        Document::SysctlConfig(d) => runtime::sysctl(d, s),
        Document::SysfsConfig(d) => runtime::sysfs(d, s),
        Document::KernelModuleConfig(d) => runtime::kernel_module(d, s),
        Document::EtcFileConfig(d) => runtime::etc_file(d, s),
        Document::ExtensionServiceConfig(d) => runtime::extension_service(d, s),
        Document::ContainerConfig(d) => container::container(d, s),
        Document::CRIBaseRuntimeSpecConfig(d) => cri::base_runtime_spec(d, s),
        Document::CRICustomizationConfig(d) => cri::customization(d, s),
        Document::KubeAdmissionControlConfig(d) => k8s::admission_control(d, s),
        Document::KubeFlannelCNIConfig(d) => k8s::flannel(d, s),
        Document::ImageVerificationConfig(d) => security::image_verification(d, s),
        Document::SideroLinkConfig(d) => security::siderolink(d, s),
        Document::LVMLogicalVolumeConfig(d) => storage::lvm_logical_volume(d, s),
        Document::LVMVolumeGroupConfig(d) => storage::lvm_volume_group(d, s),
        Document::RAIDArrayConfig(d) => storage::raid_array(d, s),
        // Upstream's Validate for this kind accepts every value.
        Document::SecurityProfileConfig(_) => {}
        _ => {}
    }
}
