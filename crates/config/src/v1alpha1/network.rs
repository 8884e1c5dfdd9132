//! The `machine.network` section: hostname, interfaces (addresses, routes,
//! bonds, bridges, VLANs, WireGuard, VIPs), resolvers and KubeSpan.

use serde::{Deserialize, Serialize};

use crate::meta::go::{is_zero, nullable};
use crate::meta::Duration;

/// Host networking: hostname, interfaces, resolvers, static hosts and KubeSpan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.NetworkConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct NetworkConfig {
    /// A fixed hostname for the node.
    #[serde(
        rename = "hostname",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub hostname: String,
    /// Per-interface settings.
    #[serde(
        rename = "interfaces",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub interfaces: Vec<Device>,
    /// DNS servers to use instead of DHCP-provided ones.
    #[serde(
        rename = "nameservers",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub nameservers: Vec<String>,
    /// DNS search domains.
    #[serde(
        rename = "searchDomains",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub search_domains: Vec<String>,
    /// Static `/etc/hosts` entries.
    #[serde(
        rename = "extraHostEntries",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub extra_host_entries: Vec<ExtraHost>,
    /// The KubeSpan WireGuard mesh.
    #[serde(rename = "kubespan", skip_serializing_if = "Option::is_none")]
    pub kubespan: Option<NetworkKubeSpan>,
    /// Stop adding the node domain as a search domain.
    #[serde(
        rename = "disableSearchDomain",
        skip_serializing_if = "Option::is_none"
    )]
    pub disable_search_domain: Option<bool>,
}

/// Settings of one network link, found by name or by a hardware selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.Device"))]
#[serde(default, deny_unknown_fields)]
pub struct Device {
    /// The link name (e.g. `eth0`).
    #[serde(
        rename = "interface",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub interface: String,
    /// Hardware properties picking the link instead of a name.
    #[serde(rename = "deviceSelector", skip_serializing_if = "Option::is_none")]
    pub device_selector: Option<NetworkDeviceSelector>,
    /// Static addresses in CIDR form.
    #[serde(
        rename = "addresses",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub addresses: Vec<String>,
    /// A single static address (older spelling of `addresses`).
    #[serde(
        rename = "cidr",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub cidr: String,
    /// Static routes via this link.
    #[serde(
        rename = "routes",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub routes: Vec<Route>,
    /// Turns the link into a bond of other links.
    #[serde(rename = "bond", skip_serializing_if = "Option::is_none")]
    pub bond: Option<Bond>,
    /// Turns the link into a bridge of other links.
    #[serde(rename = "bridge", skip_serializing_if = "Option::is_none")]
    pub bridge: Option<Bridge>,
    /// Enslaves the link to a bridge.
    #[serde(rename = "bridgePort", skip_serializing_if = "Option::is_none")]
    pub bridge_port: Option<BridgePort>,
    /// VLAN sub-interfaces.
    #[serde(
        rename = "vlans",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub vlans: Vec<Vlan>,
    /// The link MTU; left out when zero.
    #[serde(
        rename = "mtu",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub mtu: i64,
    /// Whether to run DHCP on the link.
    #[serde(rename = "dhcp", skip_serializing_if = "Option::is_none")]
    pub dhcp: Option<bool>,
    /// Leave the link entirely alone.
    #[serde(rename = "ignore", skip_serializing_if = "Option::is_none")]
    pub ignore: Option<bool>,
    /// Create the link as a dummy interface.
    #[serde(rename = "dummy", skip_serializing_if = "Option::is_none")]
    pub dummy: Option<bool>,
    /// DHCP client tuning.
    #[serde(rename = "dhcpOptions", skip_serializing_if = "Option::is_none")]
    pub dhcp_options: Option<DhcpOptions>,
    /// Makes the link a WireGuard tunnel.
    #[serde(rename = "wireguard", skip_serializing_if = "Option::is_none")]
    pub wireguard: Option<DeviceWireguardConfig>,
    /// A shared virtual IP held by one control plane node at a time.
    #[serde(rename = "vip", skip_serializing_if = "Option::is_none")]
    pub vip: Option<DeviceVipConfig>,
}

/// DHCP client tuning for a link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.DhcpOptions"))]
#[serde(default, deny_unknown_fields)]
pub struct DhcpOptions {
    /// Metric of routes learnt over DHCP; always written.
    #[serde(rename = "routeMetric", deserialize_with = "nullable")]
    pub route_metric: u32,
    /// Whether to run DHCPv4.
    #[serde(rename = "ipv4", skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<bool>,
    /// Whether to run DHCPv6.
    #[serde(rename = "ipv6", skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<bool>,
    /// The DHCPv6 client DUID, hex.
    #[serde(
        rename = "duidv6",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub duid_v6: String,
}

/// A WireGuard tunnel: our key, port and peers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.DeviceWireguardConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct DeviceWireguardConfig {
    /// Our private key, base64.
    #[serde(
        rename = "privateKey",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub private_key: String,
    /// The UDP listen port.
    #[serde(
        rename = "listenPort",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub listen_port: i64,
    /// The fwmark set on tunnel packets.
    #[serde(
        rename = "firewallMark",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub firewall_mark: i64,
    /// The remote ends.
    #[serde(
        rename = "peers",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub peers: Vec<DeviceWireguardPeer>,
}

/// One WireGuard peer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.DeviceWireguardPeer"))]
#[serde(default, deny_unknown_fields)]
pub struct DeviceWireguardPeer {
    /// The peer public key, base64.
    #[serde(
        rename = "publicKey",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub public_key: String,
    /// The peer `host:port`.
    #[serde(
        rename = "endpoint",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub endpoint: String,
    /// Keepalive period; left out when zero.
    #[serde(
        rename = "persistentKeepaliveInterval",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub persistent_keepalive_interval: Duration,
    /// Prefixes routed to this peer.
    #[serde(
        rename = "allowedIPs",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub allowed_ips: Vec<String>,
}

/// A shared virtual IP, optionally moved through a cloud API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.DeviceVipConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct DeviceVipConfig {
    /// The shared address.
    #[serde(
        rename = "ip",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub ip: String,
    /// Move the IP through the Equinix Metal API.
    #[serde(rename = "equinixMetal", skip_serializing_if = "Option::is_none")]
    pub equinix_metal: Option<VipEquinixMetalConfig>,
    /// Move the IP through the Hetzner Cloud API.
    #[serde(rename = "hcloud", skip_serializing_if = "Option::is_none")]
    pub hcloud: Option<VipHcloudConfig>,
}

/// Credentials for moving a VIP on Equinix Metal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.VipEquinixMetalConfig")
)]
#[serde(default, deny_unknown_fields)]
pub struct VipEquinixMetalConfig {
    /// The API token.
    #[serde(rename = "apiToken", deserialize_with = "nullable")]
    pub api_token: String,
}

/// Credentials for moving a VIP on Hetzner Cloud.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.VipHcloudConfig"))]
#[serde(default, deny_unknown_fields)]
pub struct VipHcloudConfig {
    /// The API token.
    #[serde(rename = "apiToken", deserialize_with = "nullable")]
    pub api_token: String,
}

/// A bonded link and the kernel bonding driver options (names as in the kernel docs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.Bond"))]
#[serde(default, deny_unknown_fields)]
pub struct Bond {
    /// Member links by name; written as `[]` when empty.
    #[serde(rename = "interfaces", deserialize_with = "nullable")]
    pub interfaces: Vec<String>,
    /// Member links by hardware properties.
    #[serde(
        rename = "deviceSelectors",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub device_selectors: Vec<NetworkDeviceSelector>,
    /// ARP monitoring targets.
    #[serde(
        rename = "arpIPTarget",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub arp_ip_target: Vec<String>,
    /// The bonding mode (e.g. `802.3ad`).
    #[serde(rename = "mode", deserialize_with = "nullable")]
    pub mode: String,
    /// The transmit hash policy.
    #[serde(
        rename = "xmitHashPolicy",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub xmit_hash_policy: String,
    /// The LACPDU rate.
    #[serde(
        rename = "lacpRate",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub lacp_rate: String,
    /// The 802.3ad actor system MAC.
    #[serde(
        rename = "adActorSystem",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub ad_actor_system: String,
    /// ARP probe validation mode.
    #[serde(
        rename = "arpValidate",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub arp_validate: String,
    /// Which ARP targets must answer.
    #[serde(
        rename = "arpAllTargets",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub arp_all_targets: String,
    /// The preferred member.
    #[serde(
        rename = "primary",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub primary: String,
    /// When the primary is re-chosen.
    #[serde(
        rename = "primaryReselect",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub primary_reselect: String,
    /// MAC handling on fail-over.
    #[serde(
        rename = "failOverMac",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub fail_over_mac: String,
    /// The 802.3ad aggregator selection logic.
    #[serde(
        rename = "adSelect",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub ad_select: String,
    /// MII link monitoring period in ms.
    #[serde(
        rename = "miimon",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub miimon: u32,
    /// Delay before enabling a recovered member, ms.
    #[serde(
        rename = "updelay",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub updelay: u32,
    /// Delay before disabling a failed member, ms.
    #[serde(
        rename = "downdelay",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub downdelay: u32,
    /// ARP monitoring period in ms.
    #[serde(
        rename = "arpInterval",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub arp_interval: u32,
    /// IGMP reports sent after fail-over.
    #[serde(
        rename = "resendIgmp",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub resend_igmp: u32,
    /// Members needed for the bond to be up.
    #[serde(
        rename = "minLinks",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub min_links: u32,
    /// Seconds between learning packets.
    #[serde(
        rename = "lpInterval",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub lp_interval: u32,
    /// Packets per member in round-robin mode.
    #[serde(
        rename = "packetsPerSlave",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub packets_per_slave: u32,
    /// Peer notifications after fail-over.
    #[serde(
        rename = "numPeerNotif",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub num_peer_notif: u8,
    /// Dynamic shuffling in TLB mode.
    #[serde(
        rename = "tlbDynamicLb",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub tlb_dynamic_lb: u8,
    /// Whether inactive members still receive.
    #[serde(
        rename = "allSlavesActive",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub all_slaves_active: u8,
    /// Use carrier state for link monitoring.
    #[serde(rename = "useCarrier", skip_serializing_if = "Option::is_none")]
    pub use_carrier: Option<bool>,
    /// The 802.3ad actor system priority.
    #[serde(
        rename = "adActorSysPrio",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub ad_actor_sys_prio: u16,
    /// The 802.3ad user port key.
    #[serde(
        rename = "adUserPortKey",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub ad_user_port_key: u16,
    /// Delay between peer notifications, ms.
    #[serde(
        rename = "peerNotifyDelay",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub peer_notify_delay: u32,
}

/// Spanning tree protocol switch of a bridge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.Stp"))]
#[serde(default, deny_unknown_fields)]
pub struct Stp {
    /// Whether STP runs.
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// VLAN handling of a bridge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.BridgeVlan"))]
#[serde(default, deny_unknown_fields)]
pub struct BridgeVlan {
    /// Whether the bridge filters by VLAN.
    #[serde(rename = "vlanFiltering", skip_serializing_if = "Option::is_none")]
    pub vlan_filtering: Option<bool>,
}

/// A bridge link and its members.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.Bridge"))]
#[serde(default, deny_unknown_fields)]
pub struct Bridge {
    /// Member links; written as `[]` when empty.
    #[serde(rename = "interfaces", deserialize_with = "nullable")]
    pub interfaces: Vec<String>,
    /// Spanning tree settings.
    #[serde(rename = "stp", skip_serializing_if = "Option::is_none")]
    pub stp: Option<Stp>,
    /// VLAN filtering settings.
    #[serde(rename = "vlan", skip_serializing_if = "Option::is_none")]
    pub vlan: Option<BridgeVlan>,
}

/// Membership of a link in a bridge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.BridgePort"))]
#[serde(default, deny_unknown_fields)]
pub struct BridgePort {
    /// The bridge link name.
    #[serde(
        rename = "master",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub master: String,
}

/// A VLAN sub-interface of a link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.Vlan"))]
#[serde(default, deny_unknown_fields)]
pub struct Vlan {
    /// Static addresses in CIDR form.
    #[serde(
        rename = "addresses",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub addresses: Vec<String>,
    /// A single static address (older spelling).
    #[serde(
        rename = "cidr",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub cidr: String,
    /// Static routes; written as `[]` when empty.
    #[serde(rename = "routes", deserialize_with = "nullable")]
    pub routes: Vec<Route>,
    /// Whether to run DHCP on the VLAN.
    #[serde(rename = "dhcp", skip_serializing_if = "Option::is_none")]
    pub dhcp: Option<bool>,
    /// The VLAN ID.
    #[serde(rename = "vlanId", deserialize_with = "nullable")]
    pub vlan_id: u16,
    /// The MTU; left out when zero.
    #[serde(
        rename = "mtu",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub mtu: u32,
    /// A shared virtual IP on the VLAN.
    #[serde(rename = "vip", skip_serializing_if = "Option::is_none")]
    pub vip: Option<DeviceVipConfig>,
    /// DHCP client tuning.
    #[serde(rename = "dhcpOptions", skip_serializing_if = "Option::is_none")]
    pub dhcp_options: Option<DhcpOptions>,
}

/// A static route.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.Route"))]
#[serde(default, deny_unknown_fields)]
pub struct Route {
    /// The destination prefix (empty for the default route).
    #[serde(rename = "network", deserialize_with = "nullable")]
    pub network: String,
    /// The next hop.
    #[serde(rename = "gateway", deserialize_with = "nullable")]
    pub gateway: String,
    /// The preferred source address.
    #[serde(
        rename = "source",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub source: String,
    /// The route metric.
    #[serde(
        rename = "metric",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub metric: u32,
    /// The route MTU.
    #[serde(
        rename = "mtu",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub mtu: u32,
}

/// A static `/etc/hosts` entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.ExtraHost"))]
#[serde(default, deny_unknown_fields)]
pub struct ExtraHost {
    /// The address.
    #[serde(rename = "ip", deserialize_with = "nullable")]
    pub ip: String,
    /// Names for the address; written as `[]` when empty.
    #[serde(rename = "aliases", deserialize_with = "nullable")]
    pub aliases: Vec<String>,
}

/// The KubeSpan full-mesh WireGuard network between nodes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.NetworkKubeSpan"))]
#[serde(default, deny_unknown_fields)]
pub struct NetworkKubeSpan {
    /// Whether KubeSpan runs.
    #[serde(rename = "enabled", skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether pod networks are routed over the mesh.
    #[serde(
        rename = "advertiseKubernetesNetworks",
        skip_serializing_if = "Option::is_none"
    )]
    pub advertise_kubernetes_networks: Option<bool>,
    /// Whether traffic may skip a peer that is down.
    #[serde(
        rename = "allowDownPeerBypass",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_down_peer_bypass: Option<bool>,
    /// Whether endpoints seen from peers are reused.
    #[serde(
        rename = "harvestExtraEndpoints",
        skip_serializing_if = "Option::is_none"
    )]
    pub harvest_extra_endpoints: Option<bool>,
    /// The mesh link MTU.
    #[serde(rename = "mtu", skip_serializing_if = "Option::is_none")]
    pub mtu: Option<u32>,
    /// Which endpoints and networks take part.
    #[serde(rename = "filters", skip_serializing_if = "Option::is_none")]
    pub filters: Option<KubeSpanFilters>,
}

/// Filters on what KubeSpan advertises and uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "v1alpha1.KubeSpanFilters"))]
#[serde(default, deny_unknown_fields)]
pub struct KubeSpanFilters {
    /// Endpoint prefix filters (a leading `!` excludes).
    #[serde(
        rename = "endpoints",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub endpoints: Vec<String>,
    /// Prefixes never routed over the mesh.
    #[serde(
        rename = "excludeAdvertisedNetworks",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub exclude_advertised_networks: Vec<String>,
}

/// Hardware properties that pick a link; every set property must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(rename = "v1alpha1.NetworkDeviceSelector")
)]
#[serde(default, deny_unknown_fields)]
pub struct NetworkDeviceSelector {
    /// The bus path (glob).
    #[serde(
        rename = "busPath",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub bus_path: String,
    /// The current MAC address (glob).
    #[serde(
        rename = "hardwareAddr",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub hardware_addr: String,
    /// The permanent MAC address (glob).
    #[serde(
        rename = "permanentAddr",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub permanent_addr: String,
    /// The PCI vendor:device ID.
    #[serde(
        rename = "pciID",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub pci_id: String,
    /// The kernel driver name.
    #[serde(
        rename = "driver",
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub driver: String,
    /// Only physical (or only virtual) links.
    #[serde(rename = "physical", skip_serializing_if = "Option::is_none")]
    pub physical: Option<bool>,
}
