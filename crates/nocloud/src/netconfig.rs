//! cloud-init `network-config` files, version 1 and 2, written from a
//! [`NodeNetwork`] and parsed back into one with Talos's reading rules
//! (`platform/nocloud/nocloud.go`, `DecodeNetworkConfig`, and
//! `applyNetworkConfigV1` / `applyNetworkConfigV2` in `metadata.go`).
//!
//! What Talos reads, and so what round-trips:
//! - v1: `physical` (`name`, `mac_address`, `mtu`, `subnets`), `bond`
//!   (`bond_interfaces`, `params`), `vlan` (`vlan_id`, `vlan_link`) and
//!   `nameserver` (`address`); subnets of type `dhcp`/`dhcp4`, `static`,
//!   `static6` (address as a prefix or with `netmask`, optional `gateway`)
//!   and `ipv6_dhcpv6-stateful`. Other subnet types, subnet
//!   `dns_nameservers` and routes are ignored by Talos.
//! - v2: `ethernets` (`match.macaddress`), `bonds` (`interfaces`,
//!   `parameters`) and `vlans` (`id`, `link`), each with `dhcp4`, `dhcp6`,
//!   `addresses`, `gateway4`, `gateway6`, `mtu`, `nameservers` and `routes`
//!   (`to` may be `default`). Talos walks each map in name order and gathers
//!   the name servers of all interfaces in that order.
//! - A document is v1/v2 by its `version`; one wrapped in a top-level
//!   `network:` key is unwrapped first.
//! - A MAC match renames the interface to the host link carrying that
//!   address. v1 follows the rename for `vlan_link` and `bond_interfaces`;
//!   v2 follows it for bond `interfaces` but takes a VLAN `link` as written.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::network::{
    parse_ip, parse_mac, parse_prefix, parse_v4, parse_v6, Bond, Interface, InterfaceKind,
    IpPrefix, NodeNetwork, Route,
};
use crate::yamlout::{quote, Writer};

/// network-config format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NetworkVersion {
    /// cloud-init v1 (`config:` list); Proxmox writes this one.
    #[default]
    V1,
    /// cloud-init v2 (netplan-like maps).
    V2,
}

impl NetworkVersion {
    /// Maps 1 and 2 to a version.
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::V1),
            2 => Some(Self::V2),
            _ => None,
        }
    }
}

impl NodeNetwork {
    /// Writes the network-config file in the given version, interfaces in
    /// [`NodeNetwork::canonical`] order.
    pub fn to_network_config(&self, version: NetworkVersion) -> Result<String> {
        self.validate()?;
        let net = self.canonical();
        match version {
            NetworkVersion::V1 => net.render_v1(),
            NetworkVersion::V2 => net.render_v2(),
        }
    }

    fn render_v1(&self) -> Result<String> {
        let mut w = Writer::default();
        w.raw(0, "version", "1");
        w.open(0, "config");
        for i in &self.interfaces {
            let err = |reason: &str| Error::InvalidNetwork {
                interface: i.name.clone(),
                reason: reason.to_string(),
            };
            if !i.routes.is_empty() {
                return Err(err(
                    "routes need network-config version 2 (Talos ignores v1 routes)",
                ));
            }
            let has4 = i.addresses.iter().any(|a| a.addr.is_ipv4());
            let has6 = i.addresses.iter().any(|a| a.addr.is_ipv6());
            if i.gateway4.is_some() && !has4 {
                return Err(err(
                    "an IPv4 gateway needs a static IPv4 address in version 1",
                ));
            }
            if i.gateway6.is_some() && !has6 {
                return Err(err(
                    "an IPv6 gateway needs a static IPv6 address in version 1",
                ));
            }
            let kind = match i.kind {
                InterfaceKind::Physical { .. } => "physical",
                InterfaceKind::Bond(_) => "bond",
                InterfaceKind::Vlan { .. } => "vlan",
            };
            w.item_raw(1, "type", &quote(kind));
            w.str(2, "name", &i.name);
            match &i.kind {
                InterfaceKind::Physical { mac } => {
                    if let Some(mac) = mac {
                        w.str(2, "mac_address", &mac.to_string());
                    }
                }
                InterfaceKind::Bond(b) => {
                    w.list(2, "bond_interfaces", &b.members);
                    let params = [
                        ("bond-mode", b.mode.clone()),
                        ("bond-lacp-rate", b.lacp_rate.clone()),
                        ("bond-xmit-hash-policy", b.hash_policy.clone()),
                    ];
                    let nums = [
                        ("bond-miimon", b.miimon),
                        ("up-delay", b.up_delay),
                        ("down-delay", b.down_delay),
                    ];
                    if params.iter().any(|(_, v)| !v.is_empty())
                        || nums.iter().any(|(_, v)| *v != 0)
                    {
                        w.open(2, "params");
                        for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
                            w.str(3, k, v);
                        }
                        for (k, v) in nums.iter().filter(|(_, v)| *v != 0) {
                            w.raw(3, k, &v.to_string());
                        }
                    }
                }
                InterfaceKind::Vlan { id, link } => {
                    w.raw(2, "vlan_id", &id.to_string());
                    w.str(2, "vlan_link", link);
                }
            }
            if i.mtu != 0 {
                w.raw(2, "mtu", &i.mtu.to_string());
            }
            if i.dhcp4 || i.dhcp6 || !i.addresses.is_empty() {
                w.open(2, "subnets");
                if i.dhcp4 {
                    w.item_raw(3, "type", &quote("dhcp"));
                }
                if i.dhcp6 {
                    w.item_raw(3, "type", &quote("ipv6_dhcpv6-stateful"));
                }
                let (mut gw4, mut gw6) = (i.gateway4, i.gateway6);
                for a in &i.addresses {
                    let (kind, gw) = if a.addr.is_ipv4() {
                        ("static", gw4.take().map(IpAddr::V4))
                    } else {
                        ("static6", gw6.take().map(IpAddr::V6))
                    };
                    w.item_raw(3, "type", &quote(kind));
                    w.str(4, "address", &a.to_string());
                    if let Some(gw) = gw {
                        w.str(4, "gateway", &gw.to_string());
                    }
                }
            }
        }
        if !self.nameservers.is_empty() || !self.search.is_empty() {
            w.item_raw(1, "type", &quote("nameserver"));
            if !self.nameservers.is_empty() {
                w.list(2, "address", &strings(&self.nameservers));
            }
            if !self.search.is_empty() {
                w.list(2, "search", &self.search);
            }
        }
        Ok(w.finish())
    }

    fn render_v2(&self) -> Result<String> {
        let mut w = Writer::default();
        w.raw(0, "version", "2");
        // Talos gathers name servers from every interface in processing
        // order, so the global ones go on the first interface it walks.
        let dns_on = self.interfaces.first().map(|i| i.name.clone());
        if dns_on.is_none() && (!self.nameservers.is_empty() || !self.search.is_empty()) {
            return Err(Error::InvalidNetwork {
                interface: String::new(),
                reason: "version 2 carries name servers on an interface; define one".into(),
            });
        }
        for (section, rank) in [("ethernets", 0u8), ("bonds", 1), ("vlans", 2)] {
            let members: Vec<&Interface> = self
                .interfaces
                .iter()
                .filter(|i| kind_rank(&i.kind) == rank)
                .collect();
            if members.is_empty() {
                continue;
            }
            w.open(0, section);
            for i in members {
                let body = w.open_block(1, &quote(&i.name));
                match &i.kind {
                    InterfaceKind::Physical { mac } => {
                        if let Some(mac) = mac {
                            w.open(2, "match");
                            w.str(3, "macaddress", &mac.to_string());
                            w.str(2, "set-name", &i.name);
                        }
                    }
                    InterfaceKind::Bond(b) => {
                        w.list(2, "interfaces", &b.members);
                        let params = [
                            ("mode", b.mode.clone()),
                            ("lacp-rate", b.lacp_rate.clone()),
                            ("transmit-hash-policy", b.hash_policy.clone()),
                        ];
                        let nums = [
                            ("mii-monitor-interval", b.miimon),
                            ("up-delay", b.up_delay),
                            ("down-delay", b.down_delay),
                        ];
                        if params.iter().any(|(_, v)| !v.is_empty())
                            || nums.iter().any(|(_, v)| *v != 0)
                        {
                            w.open(2, "parameters");
                            for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
                                w.str(3, k, v);
                            }
                            for (k, v) in nums.iter().filter(|(_, v)| *v != 0) {
                                w.raw(3, k, &v.to_string());
                            }
                        }
                    }
                    InterfaceKind::Vlan { id, link } => {
                        w.raw(2, "id", &id.to_string());
                        w.str(2, "link", link);
                    }
                }
                if i.mtu != 0 {
                    w.raw(2, "mtu", &i.mtu.to_string());
                }
                if i.dhcp4 {
                    w.raw(2, "dhcp4", "true");
                }
                if i.dhcp6 {
                    w.raw(2, "dhcp6", "true");
                }
                if !i.addresses.is_empty() {
                    w.list(2, "addresses", &strings(&i.addresses));
                }
                if let Some(g) = i.gateway4 {
                    w.str(2, "gateway4", &g.to_string());
                }
                if let Some(g) = i.gateway6 {
                    w.str(2, "gateway6", &g.to_string());
                }
                if dns_on.as_deref() == Some(i.name.as_str())
                    && (!self.nameservers.is_empty() || !self.search.is_empty())
                {
                    w.open(2, "nameservers");
                    if !self.search.is_empty() {
                        w.list(3, "search", &self.search);
                    }
                    if !self.nameservers.is_empty() {
                        w.list(3, "addresses", &strings(&self.nameservers));
                    }
                }
                if !i.routes.is_empty() {
                    w.open(2, "routes");
                    for r in &i.routes {
                        w.item_raw(3, "to", &quote(&r.to.to_string()));
                        w.str(4, "via", &r.via.to_string());
                        if r.metric != 0 {
                            w.raw(4, "metric", &r.metric.to_string());
                        }
                        if r.table != 0 {
                            w.raw(4, "table", &r.table.to_string());
                        }
                        if r.on_link {
                            w.raw(4, "on-link", "true");
                        }
                    }
                }
                w.close(body);
            }
        }
        Ok(w.finish())
    }

    /// Parses a network-config file (v1 or v2, bare or under `network:`)
    /// into a description, failing where Talos would fail and ignoring what
    /// Talos ignores.
    pub fn from_network_config(text: &str) -> Result<Self> {
        let perr = |e: serde_saphyr::Error| Error::Parse {
            document: "network-config",
            reason: e.to_string(),
        };
        let probe: Probe = serde_saphyr::from_str(text).map_err(perr)?;
        let raw = if probe.network {
            let w: Wrapped = serde_saphyr::from_str(text).map_err(perr)?;
            w.network
        } else if probe.version {
            serde_saphyr::from_str(text).map_err(perr)?
        } else {
            return Err(Error::Parse {
                document: "network-config",
                reason: "neither a top-level network nor version key".into(),
            });
        };
        match raw.version {
            1 => raw.into_v1(),
            2 => raw.into_v2(),
            v => Err(Error::UnsupportedNetworkVersion { version: v }),
        }
    }
}

fn kind_rank(k: &InterfaceKind) -> u8 {
    match k {
        InterfaceKind::Physical { .. } => 0,
        InterfaceKind::Bond(_) => 1,
        InterfaceKind::Vlan { .. } => 2,
    }
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

/// A v2 route destination: `default` means the default route of the
/// gateway's family, as in Talos.
pub(crate) fn route_destination(field: &str, to: &str, via: IpAddr) -> Result<IpPrefix> {
    if to == "default" {
        let any = if via.is_ipv4() {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        };
        return Ok(IpPrefix { addr: any, len: 0 });
    }
    parse_prefix(field, to)
}

/// Which top-level keys are present; a key set to null counts as present,
/// as Talos checks key presence in a generic map.
#[derive(Deserialize)]
struct Probe {
    #[serde(default, deserialize_with = "present")]
    network: bool,
    #[serde(default, deserialize_with = "present")]
    version: bool,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

#[derive(Deserialize)]
struct Wrapped {
    network: RawConfig,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawConfig {
    version: i64,
    config: Vec<RawV1>,
    ethernets: BTreeMap<String, RawIface>,
    bonds: BTreeMap<String, RawIface>,
    vlans: BTreeMap<String, RawIface>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawV1 {
    mac_address: String,
    name: String,
    mtu: u32,
    subnets: Vec<RawSubnet>,
    address: Vec<String>,
    search: Vec<String>,
    #[serde(rename = "type")]
    kind: String,
    bond_interfaces: Vec<String>,
    vlan_id: u16,
    vlan_link: String,
    params: RawV1Params,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawSubnet {
    address: String,
    netmask: String,
    gateway: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawV1Params {
    #[serde(rename = "bond-lacp-rate")]
    lacp_rate: String,
    #[serde(rename = "bond-miimon")]
    miimon: u32,
    #[serde(rename = "bond-mode")]
    mode: String,
    #[serde(rename = "bond-xmit-hash-policy")]
    hash_policy: String,
    #[serde(rename = "up-delay")]
    up_delay: u32,
    #[serde(rename = "down-delay")]
    down_delay: u32,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawIface {
    #[serde(rename = "match")]
    matcher: RawMatch,
    dhcp4: bool,
    dhcp6: bool,
    addresses: Vec<String>,
    gateway4: String,
    gateway6: String,
    mtu: u32,
    nameservers: RawNameservers,
    routes: Vec<RawRoute>,
    interfaces: Vec<String>,
    parameters: RawV2Params,
    id: u16,
    link: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawMatch {
    macaddress: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNameservers {
    search: Vec<String>,
    addresses: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRoute {
    to: String,
    via: String,
    metric: u32,
    table: u32,
    #[serde(rename = "on-link")]
    on_link: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawV2Params {
    mode: String,
    #[serde(rename = "lacp-rate")]
    lacp_rate: String,
    #[serde(rename = "transmit-hash-policy")]
    hash_policy: String,
    #[serde(rename = "mii-monitor-interval")]
    miimon: u32,
    #[serde(rename = "up-delay")]
    up_delay: u32,
    #[serde(rename = "down-delay")]
    down_delay: u32,
}

/// Prefix length of a dotted netmask; Go's `IPMask.Size` gives 0 for a
/// non-contiguous mask, which would silently mean `/0`, so it is refused.
fn netmask_len(field: &str, mask: &str) -> Result<u8> {
    let bad = || Error::InvalidAddress {
        kind: "netmask",
        field: field.to_string(),
        value: mask.to_string(),
    };
    let bits: u128 = match parse_ip(field, mask).map_err(|_| bad())? {
        IpAddr::V4(a) => u128::from(u32::from(a)) << 96,
        IpAddr::V6(a) => u128::from(a),
    };
    let ones = bits.leading_ones();
    if bits.checked_shl(ones).unwrap_or(0) != 0 {
        return Err(bad());
    }
    let max = if mask.contains(':') { 128 } else { 32 };
    u8::try_from(ones.min(max)).map_err(|_| bad())
}

impl RawConfig {
    fn into_v1(self) -> Result<NodeNetwork> {
        let mut net = NodeNetwork::default();
        for e in self.config {
            let kind = match e.kind.as_str() {
                "nameserver" => {
                    for a in &e.address {
                        net.nameservers.push(parse_ip("nameserver", a)?);
                    }
                    net.search.extend(e.search);
                    continue;
                }
                "physical" => InterfaceKind::Physical {
                    mac: if e.mac_address.is_empty() {
                        None
                    } else {
                        Some(parse_mac(&e.name, &e.mac_address)?)
                    },
                },
                "bond" => {
                    let bond = Bond {
                        members: e.bond_interfaces.clone(),
                        mode: e.params.mode.clone(),
                        lacp_rate: e.params.lacp_rate.clone(),
                        hash_policy: e.params.hash_policy.clone(),
                        miimon: e.params.miimon,
                        up_delay: e.params.up_delay,
                        down_delay: e.params.down_delay,
                    };
                    bond.validate_params(&e.name)?;
                    InterfaceKind::Bond(bond)
                }
                "vlan" => InterfaceKind::Vlan {
                    id: e.vlan_id,
                    link: e.vlan_link.clone(),
                },
                _ => continue,
            };
            let mut i = Interface::physical(&e.name, None);
            i.kind = kind;
            i.mtu = e.mtu;
            for s in &e.subnets {
                match s.kind.as_str() {
                    "dhcp" | "dhcp4" => i.dhcp4 = true,
                    "ipv6_dhcpv6-stateful" => i.dhcp6 = true,
                    "static" | "static6" => {
                        let prefix = match s.address.parse::<IpPrefix>() {
                            Ok(p) => p,
                            Err(()) => {
                                let addr = parse_ip(&e.name, &s.address)?;
                                let len = netmask_len(&e.name, &s.netmask)?;
                                IpPrefix::new(addr, len).ok_or_else(|| Error::InvalidAddress {
                                    kind: "netmask",
                                    field: e.name.clone(),
                                    value: s.netmask.clone(),
                                })?
                            }
                        };
                        i.addresses.push(prefix);
                        if !s.gateway.is_empty() {
                            let dup = || Error::InvalidNetwork {
                                interface: e.name.clone(),
                                reason: "more than one gateway of a family".into(),
                            };
                            if s.kind == "static6" {
                                if i.gateway6.replace(parse_v6(&e.name, &s.gateway)?).is_some() {
                                    return Err(dup());
                                }
                            } else if i.gateway4.replace(parse_v4(&e.name, &s.gateway)?).is_some() {
                                return Err(dup());
                            }
                        }
                    }
                    _ => {}
                }
            }
            net.interfaces.push(i);
        }
        Ok(net)
    }

    fn into_v2(self) -> Result<NodeNetwork> {
        let mut net = NodeNetwork::default();
        let sections = [(0u8, self.ethernets), (1, self.bonds), (2, self.vlans)];
        for (rank, map) in sections {
            for (name, raw) in map {
                let kind = match rank {
                    0 => InterfaceKind::Physical {
                        mac: if raw.matcher.macaddress.is_empty() {
                            None
                        } else {
                            Some(parse_mac(&name, &raw.matcher.macaddress)?)
                        },
                    },
                    1 => {
                        let p = &raw.parameters;
                        let bond = Bond {
                            members: raw.interfaces.clone(),
                            mode: p.mode.clone(),
                            lacp_rate: p.lacp_rate.clone(),
                            hash_policy: p.hash_policy.clone(),
                            miimon: p.miimon,
                            up_delay: p.up_delay,
                            down_delay: p.down_delay,
                        };
                        bond.validate_params(&name)?;
                        InterfaceKind::Bond(bond)
                    }
                    _ => InterfaceKind::Vlan {
                        id: raw.id,
                        link: raw.link.clone(),
                    },
                };
                let mut i = Interface::physical(&name, None);
                i.kind = kind;
                i.mtu = raw.mtu;
                i.dhcp4 = raw.dhcp4;
                i.dhcp6 = raw.dhcp6;
                for a in &raw.addresses {
                    i.addresses.push(parse_prefix(&name, a)?);
                }
                if !raw.gateway4.is_empty() {
                    i.gateway4 = Some(parse_v4(&name, &raw.gateway4)?);
                }
                if !raw.gateway6.is_empty() {
                    i.gateway6 = Some(parse_v6(&name, &raw.gateway6)?);
                }
                for a in &raw.nameservers.addresses {
                    net.nameservers.push(parse_ip(&name, a)?);
                }
                net.search.extend(raw.nameservers.search.iter().cloned());
                for r in &raw.routes {
                    let via = parse_ip(&name, &r.via)?;
                    i.routes.push(Route {
                        to: route_destination(&name, &r.to, via)?,
                        via,
                        metric: r.metric,
                        table: r.table,
                        on_link: r.on_link,
                    });
                }
                net.interfaces.push(i);
            }
        }
        Ok(net)
    }
}
