//! Network documents (upstream `types/network`): hostname, resolvers, links,
//! routes, firewall rules, KubeSpan, time sync and probes.
//!
//! Enumerations Talos validates (bond modes, routing tables...) are kept as
//! their text here unless generation emits them; the four it emits are enums.

mod hostname;
mod kubespan;
mod links;
mod misc;
mod resolver;
mod rules;

pub use hostname::{AutoHostnameKind, HostnameConfig};
pub use kubespan::{KubeSpanConfig, KubeSpanEndpointsConfig, KubeSpanFiltersConfig};
pub use links::{
    AddressConfig, BondConfig, BridgeConfig, BridgeSTPConfig, BridgeVLANConfig, DummyLinkConfig,
    LinkAliasConfig, LinkConfig, LinkSelector, RouteConfig, VLANConfig, VRFConfig, VethConfig,
    VethPeerConfig, WireguardConfig, WireguardPeer,
};
pub use misc::{
    BGPBFDConfig, BGPImportRoute, BGPInstanceConfig, BGPNeighborConfig, BlackholeRouteConfig,
    DHCPv4Config, DHCPv6Config, EthernetChannelsConfig, EthernetConfig, EthernetRingsConfig,
    HCloudVIPConfig, HTTPProbeConfig, Layer2VIPConfig, NTPConfig, PTPConfig, RoutingRuleConfig,
    StaticHostConfig, TCPProbeConfig, TimeSyncConfig,
};
pub use resolver::{
    DNSProtocol, HostDNSConfig, NameserverConfig, ResolverConfig, SearchDomainsConfig,
};
pub use rules::{
    DefaultAction, IngressRule, NetworkDefaultActionConfig, NetworkRuleConfig, PortRange, Protocol,
    RulePortSelector,
};
