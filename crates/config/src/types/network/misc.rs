//! The less common network documents: DHCP, routing rules, blackhole
//! routes, static hosts, VIPs, probes, time sync, ethernet tuning and BGP.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::meta::Duration;
use crate::types::enum_text::{
    routing_table, rule_action, serialize_lower_opt, serialize_lower_vec,
};
use crate::types::net::{Addr, HardwareAddr, Prefix};
use crate::types::{is_zero, Document, Url};

/// Implements [`Document`] for a kind named by its `name` field.
macro_rules! named {
    ($ty:ident, $kind:literal) => {
        impl Document for $ty {
            const KIND: &'static str = $kind;

            fn name(&self) -> Option<&str> {
                Some(&self.name)
            }
        }
    };
}

/// `DHCPv4Config`: DHCPv4 on a link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DHCPv4Config {
    /// Link name.
    pub name: String,
    /// Metric of learned routes.
    #[serde(rename = "routeMetric", skip_serializing_if = "is_zero")]
    pub route_metric: u32,
    /// Ignore the offered hostname.
    #[serde(rename = "ignoreHostname", skip_serializing_if = "Option::is_none")]
    pub ignore_hostname: Option<bool>,
    /// Ignore offered routes.
    #[serde(rename = "ignoreRoutes", skip_serializing_if = "Option::is_none")]
    pub ignore_routes: Option<bool>,
    /// Client identifier kind (text form).
    #[serde(
        rename = "clientIdentifier",
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_lower_opt"
    )]
    pub client_identifier: Option<String>,
    /// Raw DUID.
    #[serde(rename = "duidRaw", skip_serializing_if = "HardwareAddr::is_empty")]
    pub duid_raw: HardwareAddr,
}
named!(DHCPv4Config, "DHCPv4Config");

/// `DHCPv6Config`: DHCPv6 on a link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DHCPv6Config {
    /// Link name.
    pub name: String,
    /// Metric of learned routes.
    #[serde(rename = "routeMetric", skip_serializing_if = "is_zero")]
    pub route_metric: u32,
    /// Ignore the offered hostname.
    #[serde(rename = "ignoreHostname", skip_serializing_if = "Option::is_none")]
    pub ignore_hostname: Option<bool>,
    /// Client identifier kind (text form).
    #[serde(
        rename = "clientIdentifier",
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_lower_opt"
    )]
    pub client_identifier: Option<String>,
    /// Raw DUID.
    #[serde(rename = "duidRaw", skip_serializing_if = "HardwareAddr::is_empty")]
    pub duid_raw: HardwareAddr,
}
named!(DHCPv6Config, "DHCPv6Config");

/// `RoutingRuleConfig`: a policy routing rule, named by its priority.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RoutingRuleConfig {
    /// Rule priority, as text.
    pub name: String,
    /// Source prefix.
    #[serde(skip_serializing_if = "Prefix::is_zero")]
    pub src: Prefix,
    /// Destination prefix.
    #[serde(skip_serializing_if = "Prefix::is_zero")]
    pub dst: Prefix,
    /// Routing table (text form; always written, `unspec` when empty).
    #[serde(serialize_with = "routing_table::serialize")]
    pub table: String,
    /// Rule action (text form; `unspec` is left out).
    #[serde(
        skip_serializing_if = "rule_action::is_zero",
        serialize_with = "rule_action::serialize"
    )]
    pub action: String,
    /// Input interface.
    #[serde(rename = "iifName", skip_serializing_if = "String::is_empty")]
    pub iif_name: String,
    /// Output interface.
    #[serde(rename = "oifName", skip_serializing_if = "String::is_empty")]
    pub oif_name: String,
    /// Firewall mark.
    #[serde(rename = "fwMark", skip_serializing_if = "is_zero")]
    pub fw_mark: u32,
    /// Firewall mark mask.
    #[serde(rename = "fwMask", skip_serializing_if = "is_zero")]
    pub fw_mask: u32,
}
named!(RoutingRuleConfig, "RoutingRuleConfig");

/// `BlackholeRouteConfig`: a blackhole route to a prefix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BlackholeRouteConfig {
    /// Destination prefix.
    pub name: String,
    /// Route metric.
    #[serde(skip_serializing_if = "is_zero")]
    pub metric: u32,
}
named!(BlackholeRouteConfig, "BlackholeRouteConfig");

/// `StaticHostConfig`: an `/etc/hosts` entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct StaticHostConfig {
    /// The IP address.
    pub name: String,
    /// Host names for it (always written).
    pub hostnames: Vec<String>,
}
named!(StaticHostConfig, "StaticHostConfig");

/// `Layer2VIPConfig`: a shared virtual IP announced with ARP/NDP.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Layer2VIPConfig {
    /// The virtual IP.
    pub name: String,
    /// Link it lives on.
    pub link: String,
}
named!(Layer2VIPConfig, "Layer2VIPConfig");

/// `HCloudVIPConfig`: a Hetzner Cloud floating IP.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct HCloudVIPConfig {
    /// The virtual IP.
    pub name: String,
    /// Link it lives on.
    pub link: String,
    /// Hetzner API token.
    #[serde(rename = "apiToken")]
    pub api_token: String,
}
named!(HCloudVIPConfig, "HCloudVIPConfig");

/// `TCPProbeConfig`: a TCP connectivity probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TCPProbeConfig {
    /// Probe name.
    pub name: String,
    /// Probe interval.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub interval: Duration,
    /// Failures before the probe is down.
    #[serde(rename = "failureThreshold", skip_serializing_if = "is_zero")]
    pub failure_threshold: i64,
    /// `host:port` to connect to.
    pub endpoint: String,
    /// Connection timeout.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub timeout: Duration,
}
named!(TCPProbeConfig, "TCPProbeConfig");

/// `HTTPProbeConfig`: an HTTP connectivity probe.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct HTTPProbeConfig {
    /// Probe name.
    pub name: String,
    /// Probe interval.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub interval: Duration,
    /// Failures before the probe is down.
    #[serde(rename = "failureThreshold", skip_serializing_if = "is_zero")]
    pub failure_threshold: i64,
    /// URL to fetch.
    pub url: Url,
    /// Request timeout.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub timeout: Duration,
}
named!(HTTPProbeConfig, "HTTPProbeConfig");

/// `TimeSyncConfig`: NTP/PTP time synchronization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TimeSyncConfig {
    /// Enables time sync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// How long boot waits for sync.
    #[serde(rename = "bootTimeout", skip_serializing_if = "Duration::is_zero")]
    pub boot_timeout: Duration,
    /// NTP settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ntp: Option<NTPConfig>,
    /// PTP settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ptp: Option<PTPConfig>,
}

impl Document for TimeSyncConfig {
    const KIND: &'static str = "TimeSyncConfig";
}

/// NTP servers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NTPConfig {
    /// Server names or addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<String>,
    /// Use Network Time Security.
    #[serde(rename = "useNTS", skip_serializing_if = "Option::is_none")]
    pub use_nts: Option<bool>,
}

/// PTP devices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PTPConfig {
    /// PTP device paths.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<String>,
}

/// `EthernetConfig`: ethtool-style tuning of a link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EthernetConfig {
    /// Link name.
    pub name: String,
    /// Feature switches.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub features: BTreeMap<String, bool>,
    /// Ring sizes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rings: Option<EthernetRingsConfig>,
    /// Channel counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<EthernetChannelsConfig>,
    /// Wake-on-LAN modes (text forms).
    #[serde(
        rename = "wakeOnLan",
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "serialize_lower_vec"
    )]
    pub wake_on_lan: Vec<String>,
}
named!(EthernetConfig, "EthernetConfig");

/// Ring buffer sizes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EthernetRingsConfig {
    /// RX ring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rx: Option<u32>,
    /// TX ring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx: Option<u32>,
    /// RX mini ring.
    #[serde(rename = "rx-mini", skip_serializing_if = "Option::is_none")]
    pub rx_mini: Option<u32>,
    /// RX jumbo ring.
    #[serde(rename = "rx-jumbo", skip_serializing_if = "Option::is_none")]
    pub rx_jumbo: Option<u32>,
    /// RX buffer length.
    #[serde(rename = "rx-buf-len", skip_serializing_if = "Option::is_none")]
    pub rx_buf_len: Option<u32>,
    /// Completion queue entry size.
    #[serde(rename = "cqe-size", skip_serializing_if = "Option::is_none")]
    pub cqe_size: Option<u32>,
    /// TX push.
    #[serde(rename = "tx-push", skip_serializing_if = "Option::is_none")]
    pub tx_push: Option<bool>,
    /// RX push.
    #[serde(rename = "rx-push", skip_serializing_if = "Option::is_none")]
    pub rx_push: Option<bool>,
    /// TX push buffer length.
    #[serde(rename = "tx-push-buf-len", skip_serializing_if = "Option::is_none")]
    pub tx_push_buf_len: Option<u32>,
    /// TCP data split.
    #[serde(rename = "tcp-data-split", skip_serializing_if = "Option::is_none")]
    pub tcp_data_split: Option<bool>,
}

/// Channel counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct EthernetChannelsConfig {
    /// RX channels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rx: Option<u32>,
    /// TX channels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx: Option<u32>,
    /// Other channels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<u32>,
    /// Combined channels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub combined: Option<u32>,
}

/// `BGPInstanceConfig`: a BGP speaker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BGPInstanceConfig {
    /// Instance name.
    pub name: String,
    /// VRF it runs in.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub vrf: String,
    /// Local AS number (always written).
    #[serde(rename = "localASN")]
    pub local_asn: u32,
    /// Router ID.
    #[serde(rename = "routerID", skip_serializing_if = "Addr::is_zero")]
    pub router_id: Addr,
    /// Source address of routes.
    #[serde(rename = "routeSource", skip_serializing_if = "Addr::is_zero")]
    pub route_source: Addr,
    /// Advertised prefixes or selectors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advertise: Vec<String>,
    /// Enables multipath.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multipath: Option<bool>,
    /// Maximum paths.
    #[serde(rename = "maxPaths", skip_serializing_if = "is_zero")]
    pub max_paths: u8,
    /// Install learned routes.
    #[serde(rename = "installRoutes", skip_serializing_if = "Option::is_none")]
    pub install_routes: Option<bool>,
    /// Routes imported from other instances.
    #[serde(rename = "importRoutes", skip_serializing_if = "Vec::is_empty")]
    pub import_routes: Vec<BGPImportRoute>,
    /// Neighbors.
    #[serde(rename = "neighbors", skip_serializing_if = "Vec::is_empty")]
    pub neighbors: Vec<BGPNeighborConfig>,
}
named!(BGPInstanceConfig, "BGPInstanceConfig");

/// Routes imported from another BGP instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BGPImportRoute {
    /// Source instance.
    #[serde(rename = "bgpInstance")]
    pub bgp_instance: String,
    /// Prefixes to import (always written).
    pub prefixes: Vec<Prefix>,
}

/// A BGP neighbor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BGPNeighborConfig {
    /// Neighbor address.
    #[serde(skip_serializing_if = "Addr::is_zero")]
    pub address: Addr,
    /// Link for unnumbered peering.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub link: String,
    /// Peer AS number.
    #[serde(rename = "peerASN", skip_serializing_if = "is_zero")]
    pub peer_asn: u32,
    /// Local AS number override.
    #[serde(rename = "localASN", skip_serializing_if = "is_zero")]
    pub local_asn: u32,
    /// Passive session.
    #[serde(skip_serializing_if = "is_zero")]
    pub passive: bool,
    /// Hold time.
    #[serde(rename = "holdTime", skip_serializing_if = "Duration::is_zero")]
    pub hold_time: Duration,
    /// BFD settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bfd: Option<BGPBFDConfig>,
}

/// BFD timers of a BGP session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BGPBFDConfig {
    /// Transmit interval.
    #[serde(rename = "transmitInterval", skip_serializing_if = "Duration::is_zero")]
    pub transmit_interval: Duration,
    /// Receive interval.
    #[serde(rename = "receiveInterval", skip_serializing_if = "Duration::is_zero")]
    pub receive_interval: Duration,
    /// Detection multiplier.
    #[serde(rename = "detectMultiplier", skip_serializing_if = "is_zero")]
    pub detect_multiplier: u8,
}
