//! Link documents: physical links, bonds, bridges, VLANs, VRFs, dummies,
//! veth pairs, WireGuard, and link aliases.
//!
//! Go embeds `CommonLinkConfig` inline in each; here its fields are appended
//! to each struct by [`link_document!`] so encoding keeps Go's field order.

use serde::{Deserialize, Serialize};

use super::super::runtime::CelExpression;
use crate::meta::Duration;
use crate::types::enum_text::{routing_table, serialize_lower_opt};
use crate::types::net::{Addr, AddrPort, HardwareAddr, Prefix};
use crate::types::{is_zero, Document};

/// Declares a link document struct: its own fields, then the common link fields.
macro_rules! link_document {
    ($(#[$sm:meta])* $name:ident, $kind:literal { $($(#[$fm:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$sm])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
            /// Bring the link up.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub up: Option<bool>,
            /// Link MTU.
            #[serde(skip_serializing_if = "is_zero")]
            pub mtu: u32,
            /// Static addresses.
            #[serde(skip_serializing_if = "Vec::is_empty")]
            pub addresses: Vec<AddressConfig>,
            /// Static routes.
            #[serde(skip_serializing_if = "Vec::is_empty")]
            pub routes: Vec<RouteConfig>,
            /// Multicast flag.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub multicast: Option<bool>,
        }

        impl Document for $name {
            const KIND: &'static str = $kind;

            fn name(&self) -> Option<&str> {
                Some(&self.name)
            }
        }
    };
}

/// A static address on a link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct AddressConfig {
    /// Address with prefix length (always written).
    pub address: Prefix,
    /// Priority of the prefix route.
    #[serde(rename = "routePriority", skip_serializing_if = "Option::is_none")]
    pub route_priority: Option<u32>,
}

/// A static route on a link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RouteConfig {
    /// Destination; zero means default route.
    #[serde(skip_serializing_if = "Prefix::is_zero")]
    pub destination: Prefix,
    /// Gateway.
    #[serde(skip_serializing_if = "Addr::is_zero")]
    pub gateway: Addr,
    /// Preferred source address.
    #[serde(skip_serializing_if = "Addr::is_zero")]
    pub source: Addr,
    /// Route metric.
    #[serde(skip_serializing_if = "is_zero")]
    pub metric: u32,
    /// Route MTU.
    #[serde(skip_serializing_if = "is_zero")]
    pub mtu: u32,
    /// Routing table (text form; `unspec` is left out).
    #[serde(
        skip_serializing_if = "routing_table::is_zero",
        serialize_with = "routing_table::serialize"
    )]
    pub table: String,
}

link_document! {
    /// `LinkConfig`: settings of an existing (physical) link.
    LinkConfig, "LinkConfig" {
        /// Link name or alias.
        name: String,
    }
}

link_document! {
    /// `DummyLinkConfig`: a dummy link.
    DummyLinkConfig, "DummyLinkConfig" {
        /// Link name.
        name: String,
        /// Hardware address.
        #[serde(rename = "hardwareAddr", skip_serializing_if = "HardwareAddr::is_empty")]
        hardware_addr: HardwareAddr,
    }
}

link_document! {
    /// `BondConfig`: a bond of several links.
    BondConfig, "BondConfig" {
        /// Link name.
        name: String,
        /// Hardware address.
        #[serde(rename = "hardwareAddr", skip_serializing_if = "HardwareAddr::is_empty")]
        hardware_addr: HardwareAddr,
        /// Member links.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        links: Vec<String>,
        /// Bonding mode (text form, e.g. `802.3ad`).
        #[serde(
            rename = "bondMode",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        bond_mode: Option<String>,
        /// MII monitoring interval.
        #[serde(skip_serializing_if = "Option::is_none")]
        miimon: Option<u32>,
        /// Up delay.
        #[serde(skip_serializing_if = "Option::is_none")]
        updelay: Option<u32>,
        /// Down delay.
        #[serde(skip_serializing_if = "Option::is_none")]
        downdelay: Option<u32>,
        /// Use carrier state.
        #[serde(rename = "useCarrier", skip_serializing_if = "Option::is_none")]
        use_carrier: Option<bool>,
        /// Transmit hash policy.
        #[serde(
            rename = "xmitHashPolicy",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        xmit_hash_policy: Option<String>,
        /// ARP monitoring interval.
        #[serde(rename = "arpInterval", skip_serializing_if = "Option::is_none")]
        arp_interval: Option<u32>,
        /// ARP targets.
        #[serde(rename = "arpIpTargets", skip_serializing_if = "Vec::is_empty")]
        arp_ip_targets: Vec<Addr>,
        /// IPv6 neighbour solicitation targets.
        #[serde(rename = "nsIp6Targets", skip_serializing_if = "Vec::is_empty")]
        ns_ip6_targets: Vec<Addr>,
        /// ARP validation.
        #[serde(
            rename = "arpValidate",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        arp_validate: Option<String>,
        /// ARP all targets.
        #[serde(
            rename = "arpAllTargets",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        arp_all_targets: Option<String>,
        /// LACP rate.
        #[serde(
            rename = "lacpRate",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        lacp_rate: Option<String>,
        /// Failover MAC policy.
        #[serde(
            rename = "failOverMac",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        fail_over_mac: Option<String>,
        /// Aggregation selection logic.
        #[serde(
            rename = "adSelect",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        ad_select: Option<String>,
        /// Actor system priority.
        #[serde(rename = "adActorSysPrio", skip_serializing_if = "Option::is_none")]
        ad_actor_sys_prio: Option<u16>,
        /// User port key.
        #[serde(rename = "adUserPortKey", skip_serializing_if = "Option::is_none")]
        ad_user_port_key: Option<u16>,
        /// LACP active mode.
        #[serde(
            rename = "adLACPActive",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        ad_lacp_active: Option<String>,
        /// Primary link.
        #[serde(skip_serializing_if = "Option::is_none")]
        primary: Option<String>,
        /// Primary reselection policy.
        #[serde(
            rename = "primaryReselect",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        primary_reselect: Option<String>,
        /// IGMP resend count.
        #[serde(rename = "resendIGMP", skip_serializing_if = "Option::is_none")]
        resend_igmp: Option<u32>,
        /// Minimum active links.
        #[serde(rename = "minLinks", skip_serializing_if = "Option::is_none")]
        min_links: Option<u32>,
        /// Learning packet interval.
        #[serde(rename = "lpInterval", skip_serializing_if = "Option::is_none")]
        lp_interval: Option<u32>,
        /// Packets per member before switching.
        #[serde(rename = "packetsPerSlave", skip_serializing_if = "Option::is_none")]
        packets_per_slave: Option<u32>,
        /// Peer notifications after failover.
        #[serde(rename = "numPeerNotif", skip_serializing_if = "Option::is_none")]
        num_peer_notif: Option<u8>,
        /// Dynamic TLB shuffling.
        #[serde(rename = "tlbLogicalLb", skip_serializing_if = "Option::is_none")]
        tlb_logical_lb: Option<u8>,
        /// Deliver duplicates on all members.
        #[serde(rename = "allSlavesActive", skip_serializing_if = "Option::is_none")]
        all_slaves_active: Option<u8>,
        /// Delay between peer notifications.
        #[serde(rename = "peerNotifDelay", skip_serializing_if = "Option::is_none")]
        peer_notif_delay: Option<u32>,
        /// Missed ARP replies before down.
        #[serde(rename = "missedMax", skip_serializing_if = "Option::is_none")]
        missed_max: Option<u8>,
    }
}

link_document! {
    /// `BridgeConfig`: a bridge of several links.
    BridgeConfig, "BridgeConfig" {
        /// Link name.
        name: String,
        /// Hardware address.
        #[serde(rename = "hardwareAddr", skip_serializing_if = "HardwareAddr::is_empty")]
        hardware_addr: HardwareAddr,
        /// Member links.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        links: Vec<String>,
        /// Spanning tree settings.
        #[serde(skip_serializing_if = "is_zero")]
        stp: BridgeSTPConfig,
        /// VLAN filtering settings.
        #[serde(skip_serializing_if = "is_zero")]
        vlan: BridgeVLANConfig,
    }
}

/// Spanning tree protocol settings of a bridge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BridgeSTPConfig {
    /// Enables STP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// VLAN settings of a bridge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BridgeVLANConfig {
    /// Enables VLAN filtering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtering: Option<bool>,
}

link_document! {
    /// `VLANConfig`: a VLAN on a parent link.
    VLANConfig, "VLANConfig" {
        /// Link name.
        name: String,
        /// VLAN ID.
        #[serde(rename = "vlanID", skip_serializing_if = "is_zero")]
        vlan_id: u16,
        /// VLAN protocol (`802.1q`, `802.1ad`).
        #[serde(
            rename = "vlanMode",
            skip_serializing_if = "Option::is_none",
            serialize_with = "serialize_lower_opt"
        )]
        vlan_mode: Option<String>,
        /// Parent link.
        #[serde(skip_serializing_if = "String::is_empty")]
        parent: String,
    }
}

link_document! {
    /// `VRFConfig`: a VRF device.
    VRFConfig, "VRFConfig" {
        /// Link name.
        name: String,
        /// Hardware address.
        #[serde(rename = "hardwareAddr", skip_serializing_if = "HardwareAddr::is_empty")]
        hardware_addr: HardwareAddr,
        /// Enslaved links.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        links: Vec<String>,
        /// Routing table (text form; always written, `unspec` when empty).
        #[serde(serialize_with = "routing_table::serialize")]
        table: String,
    }
}

link_document! {
    /// `VethConfig`: a veth pair.
    VethConfig, "VethConfig" {
        /// Link name.
        name: String,
        /// The other end.
        peer: VethPeerConfig,
    }
}

/// The peer end of a veth pair: its name and common link settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VethPeerConfig {
    /// Peer link name.
    pub name: String,
    /// Bring the link up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub up: Option<bool>,
    /// Link MTU.
    #[serde(skip_serializing_if = "is_zero")]
    pub mtu: u32,
    /// Static addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<AddressConfig>,
    /// Static routes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteConfig>,
    /// Multicast flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multicast: Option<bool>,
}

link_document! {
    /// `WireguardConfig`: a WireGuard interface.
    WireguardConfig, "WireguardConfig" {
        /// Link name.
        name: String,
        /// Private key (base64).
        #[serde(rename = "privateKey", skip_serializing_if = "String::is_empty")]
        private_key: String,
        /// Listen port.
        #[serde(rename = "listenPort", skip_serializing_if = "is_zero")]
        listen_port: i64,
        /// Firewall mark.
        #[serde(rename = "firewallMark", skip_serializing_if = "is_zero")]
        firewall_mark: i64,
        /// Peers.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        peers: Vec<WireguardPeer>,
    }
}

/// One WireGuard peer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct WireguardPeer {
    /// Peer public key.
    #[serde(rename = "publicKey", skip_serializing_if = "String::is_empty")]
    pub public_key: String,
    /// Preshared key.
    #[serde(rename = "presharedKey", skip_serializing_if = "String::is_empty")]
    pub preshared_key: String,
    /// Peer endpoint.
    #[serde(skip_serializing_if = "AddrPort::is_zero")]
    pub endpoint: AddrPort,
    /// Keepalive interval.
    #[serde(
        rename = "persistentKeepaliveInterval",
        skip_serializing_if = "Duration::is_zero"
    )]
    pub persistent_keepalive_interval: Duration,
    /// Allowed IPs.
    #[serde(rename = "allowedIPs", skip_serializing_if = "Vec::is_empty")]
    pub allowed_ips: Vec<Prefix>,
}

/// `LinkAliasConfig`: names a link matched by a selector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct LinkAliasConfig {
    /// The alias.
    pub name: String,
    /// Which link it names.
    #[serde(skip_serializing_if = "is_zero")]
    pub selector: LinkSelector,
}

/// A CEL selector over links.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct LinkSelector {
    /// The expression.
    #[serde(rename = "match", skip_serializing_if = "CelExpression::is_empty")]
    pub match_expr: CelExpression,
}

impl Document for LinkAliasConfig {
    const KIND: &'static str = "LinkAliasConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}
