//! The typed node network description every `network-config` is generated
//! from, and its own YAML file format (`talgen nocloud --network FILE`).

use std::collections::BTreeSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::names::validate_hostname;

/// An address with its prefix length, e.g. `10.0.0.51/24` (host bits kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IpPrefix {
    /// The address.
    pub addr: IpAddr,
    /// The prefix length (at most 32 for IPv4, 128 for IPv6).
    pub len: u8,
}

impl IpPrefix {
    /// Builds a prefix, checking the length fits the family.
    pub fn new(addr: IpAddr, len: u8) -> Option<Self> {
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (len <= max).then_some(Self { addr, len })
    }
}

impl FromStr for IpPrefix {
    type Err = ();

    /// Parses `ADDR/LEN` like Go's `netip.ParsePrefix`: decimal length
    /// without leading zeros, no zone, host bits kept.
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        let (addr, len) = talgen_gourl::netip::parse_prefix(s).map_err(|_| ())?;
        Self::new(addr, len).ok_or(())
    }
}

impl fmt::Display for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

/// An Ethernet MAC address; displayed in lower case with colons (Talos
/// compares MAC addresses case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacAddr(pub [u8; 6]);

impl FromStr for MacAddr {
    type Err = ();

    /// Parses a 6-byte address in any form Go's `net.ParseMAC` reads:
    /// two-digit hex groups all separated by `:` or all by `-`, or
    /// `xxxx.xxxx.xxxx`.
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        let bytes = talgen_gourl::net::parse_mac(s).map_err(|_| ())?;
        <[u8; 6]>::try_from(bytes).map(Self).map_err(|_| ())
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// Bonding settings; empty strings and zeros mean "Talos's default" and are
/// not written (Talos reads them with `omitempty` semantics).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bond {
    /// Member interface names, in slave order.
    pub members: Vec<String>,
    /// `balance-rr`, `active-backup`, `balance-xor`, `broadcast`, `802.3ad`,
    /// `balance-tlb` or `balance-alb`.
    pub mode: String,
    /// `slow` or `fast`.
    pub lacp_rate: String,
    /// `layer2`, `layer3+4`, `layer2+3`, `encap2+3` or `encap3+4`.
    pub hash_policy: String,
    /// MII link monitoring interval in milliseconds.
    pub miimon: u32,
    /// Up delay in milliseconds.
    pub up_delay: u32,
    /// Down delay in milliseconds.
    pub down_delay: u32,
}

/// Bond modes Talos accepts (`nethelpers.BondModeByName`).
pub const BOND_MODES: &[&str] = &[
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];
/// Transmit hash policies Talos accepts (`BondXmitHashPolicyByName`).
pub const HASH_POLICIES: &[&str] = &["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4"];
/// LACP rates Talos accepts (`LACPRateByName`).
pub const LACP_RATES: &[&str] = &["slow", "fast"];

impl Bond {
    pub(crate) fn validate_params(&self, name: &str) -> Result<()> {
        for (what, value, allowed) in [
            ("mode", &self.mode, BOND_MODES),
            ("transmit-hash-policy", &self.hash_policy, HASH_POLICIES),
            ("lacp-rate", &self.lacp_rate, LACP_RATES),
        ] {
            if !value.is_empty() && !allowed.contains(&value.as_str()) {
                return Err(Error::InvalidNetwork {
                    interface: name.to_string(),
                    reason: format!("bond {what} {value:?} is not one of {allowed:?}"),
                });
            }
        }
        Ok(())
    }
}

/// What kind of link an interface is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterfaceKind {
    /// A NIC, optionally matched by MAC address (Talos then uses the name
    /// of the link carrying that address).
    Physical {
        /// The permanent MAC address to match.
        mac: Option<MacAddr>,
    },
    /// A bond of physical interfaces.
    Bond(Bond),
    /// An 802.1Q VLAN on another interface.
    Vlan {
        /// VLAN id, 1 to 4094.
        id: u16,
        /// The parent interface name.
        link: String,
    },
}

/// A static route (network-config v2 only: Talos ignores v1 routes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Destination (`0.0.0.0/0` for a default route).
    pub to: IpPrefix,
    /// Gateway.
    pub via: IpAddr,
    /// Metric; 0 means Talos's default.
    pub metric: u32,
    /// Routing table; 0 means main.
    pub table: u32,
    /// Whether the gateway is reachable on-link.
    pub on_link: bool,
}

/// One interface of the node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// Interface name (`eth0`, `bond0`, `bond0.4`...).
    pub name: String,
    /// Physical, bond or VLAN.
    pub kind: InterfaceKind,
    /// MTU; 0 leaves the default.
    pub mtu: u32,
    /// Run DHCPv4.
    pub dhcp4: bool,
    /// Run DHCPv6.
    pub dhcp6: bool,
    /// Static addresses.
    pub addresses: Vec<IpPrefix>,
    /// Default IPv4 gateway.
    pub gateway4: Option<Ipv4Addr>,
    /// Default IPv6 gateway.
    pub gateway6: Option<Ipv6Addr>,
    /// Extra static routes (v2 only).
    pub routes: Vec<Route>,
}

impl Interface {
    /// A physical interface with nothing configured.
    pub fn physical(name: &str, mac: Option<MacAddr>) -> Self {
        Self {
            name: name.to_string(),
            kind: InterfaceKind::Physical { mac },
            mtu: 0,
            dhcp4: false,
            dhcp6: false,
            addresses: Vec::new(),
            gateway4: None,
            gateway6: None,
            routes: Vec::new(),
        }
    }

    fn rank(&self) -> u8 {
        match self.kind {
            InterfaceKind::Physical { .. } => 0,
            InterfaceKind::Bond(_) => 1,
            InterfaceKind::Vlan { .. } => 2,
        }
    }
}

/// The network of one node: interfaces plus resolver settings. Both
/// network-config versions are generated from it and parse back to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeNetwork {
    /// Interfaces.
    pub interfaces: Vec<Interface>,
    /// DNS servers, in order.
    pub nameservers: Vec<IpAddr>,
    /// DNS search domains (written for cloud-init; Talos does not read them).
    pub search: Vec<String>,
}

/// The short form of a one-interface network, for [`NodeNetwork::simple`].
#[derive(Debug, Clone, Copy)]
pub struct SimpleNetwork<'a> {
    /// Interface name (usually [`DEFAULT_INTERFACE`]).
    pub interface: &'a str,
    /// MAC address to match the interface by.
    pub mac: Option<&'a str>,
    /// Static addresses, `ADDRESS/PREFIX-LENGTH`.
    pub addresses: &'a [String],
    /// Default gateways, at most one IPv4 and one IPv6.
    pub gateways: &'a [String],
    /// DNS servers.
    pub dns: &'a [String],
    /// DNS search domains.
    pub search: &'a [String],
    /// DHCPv4 even with static addresses.
    pub dhcp: bool,
}

/// The interface name used when nothing else is known: Talos boots NoCloud
/// with `net.ifnames=0`, so the first NIC is `eth0`.
pub const DEFAULT_INTERFACE: &str = "eth0";

impl NodeNetwork {
    /// DHCPv4 on one interface: the network-config written when nothing is
    /// given (Talos needs one to apply meta-data host names at all).
    pub fn dhcp(interface: &str) -> Self {
        let mut i = Interface::physical(interface, None);
        i.dhcp4 = true;
        Self {
            interfaces: vec![i],
            ..Self::default()
        }
    }

    /// The order Talos applies interfaces in for v2 (ethernets, bonds, VLANs,
    /// each sorted by name), which is also the order the writers emit for
    /// both versions; parsing a written file gives back this form.
    pub fn canonical(&self) -> Self {
        let mut c = self.clone();
        c.interfaces
            .sort_by(|a, b| a.rank().cmp(&b.rank()).then_with(|| a.name.cmp(&b.name)));
        c
    }

    /// Checks names, references and bond settings (version-independent).
    pub fn validate(&self) -> Result<()> {
        let mut names = BTreeSet::new();
        let err = |name: &str, reason: String| Error::InvalidNetwork {
            interface: name.to_string(),
            reason,
        };
        for i in &self.interfaces {
            validate_ifname(&i.name)?;
            if !names.insert(i.name.as_str()) {
                return Err(err(&i.name, "defined twice".into()));
            }
            // Talos takes a route's address family from its gateway.
            if let Some(r) = i
                .routes
                .iter()
                .find(|r| r.to.addr.is_ipv4() != r.via.is_ipv4())
            {
                return Err(err(
                    &i.name,
                    format!("route to {} via {}: address family mismatch", r.to, r.via),
                ));
            }
        }
        let mut enslaved = BTreeSet::new();
        for i in &self.interfaces {
            match &i.kind {
                InterfaceKind::Physical { .. } => {}
                InterfaceKind::Bond(bond) => {
                    bond.validate_params(&i.name)?;
                    if bond.members.is_empty() {
                        return Err(err(&i.name, "a bond needs member interfaces".into()));
                    }
                    for m in &bond.members {
                        let is_physical = self.interfaces.iter().any(|o| {
                            &o.name == m && matches!(o.kind, InterfaceKind::Physical { .. })
                        });
                        if !is_physical {
                            return Err(err(
                                &i.name,
                                format!("bond member {m:?} is not a physical interface"),
                            ));
                        }
                        if !enslaved.insert(m.as_str()) {
                            return Err(err(m, "member of more than one bond".into()));
                        }
                    }
                }
                InterfaceKind::Vlan { id, link } => {
                    if !(1..=4094).contains(id) {
                        return Err(err(&i.name, format!("vlan id {id} is not in 1..=4094")));
                    }
                    let parent_ok = self
                        .interfaces
                        .iter()
                        .any(|o| &o.name == link && !matches!(o.kind, InterfaceKind::Vlan { .. }));
                    if !parent_ok {
                        return Err(err(
                            &i.name,
                            format!("vlan link {link:?} is not a physical or bond interface"),
                        ));
                    }
                }
            }
        }
        for s in &self.search {
            validate_hostname(s)?;
        }
        Ok(())
    }

    /// One interface configured from the short form (`--ip`, `--gateway`,
    /// `--dns`, `--mac` of `talgen nocloud`, `network:` of a fleet node):
    /// static addresses, or DHCPv4 when none is given or `dhcp` is set; at
    /// most one gateway per address family.
    ///
    /// # Errors
    /// [`Error::InvalidNetwork`] naming the value that does not parse or
    /// the rule it breaks.
    pub fn simple(spec: &SimpleNetwork<'_>) -> Result<Self> {
        let err = |reason: String| Error::InvalidNetwork {
            interface: spec.interface.to_string(),
            reason,
        };
        let mac = spec
            .mac
            .map(|m| {
                m.parse::<MacAddr>()
                    .map_err(|()| err(format!("mac {m:?} is not a MAC address")))
            })
            .transpose()?;
        let mut iface = Interface::physical(spec.interface, mac);
        for ip in spec.addresses {
            let prefix: IpPrefix = ip
                .parse()
                .map_err(|()| err(format!("address {ip:?} is not ADDRESS/PREFIX-LENGTH")))?;
            iface.addresses.push(prefix);
        }
        iface.dhcp4 = spec.dhcp || spec.addresses.is_empty();
        for gw in spec.gateways {
            match talgen_gourl::net::parse_ip(gw) {
                Some(IpAddr::V4(a)) if iface.gateway4.is_none() => iface.gateway4 = Some(a),
                Some(IpAddr::V6(a)) if iface.gateway6.is_none() => iface.gateway6 = Some(a),
                Some(_) => return Err(err("gateway given twice for one address family".into())),
                None => return Err(err(format!("gateway {gw:?} is not an IP address"))),
            }
        }
        let mut net = NodeNetwork {
            interfaces: vec![iface],
            ..NodeNetwork::default()
        };
        for dns in spec.dns {
            net.nameservers.push(
                talgen_gourl::net::parse_ip(dns)
                    .ok_or_else(|| err(format!("dns {dns:?} is not an IP address")))?,
            );
        }
        net.search = spec.search.to_vec();
        net.validate()?;
        Ok(net)
    }

    /// Parses the description file format (see the crate docs).
    pub fn from_yaml(text: &str) -> Result<Self> {
        let file: FileNetwork = serde_saphyr::from_str(text).map_err(|e| Error::Parse {
            document: "network description",
            reason: e.to_string(),
        })?;
        let net = file.into_network()?;
        net.validate()?;
        Ok(net)
    }
}

/// Linux interface names: 1 to 15 bytes, no `/`, `:` or whitespace.
fn validate_ifname(name: &str) -> Result<()> {
    let bad = |reason: &str| Error::InvalidNetwork {
        interface: name.to_string(),
        reason: reason.to_string(),
    };
    if name.is_empty() || name.len() > 15 {
        return Err(bad("interface names have 1 to 15 characters"));
    }
    if name == "." || name == ".." {
        return Err(bad("not an interface name"));
    }
    if name
        .chars()
        .any(|c| c == '/' || c == ':' || c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return Err(bad("interface names are ASCII without '/', ':' or spaces"));
    }
    Ok(())
}

pub(crate) fn parse_prefix(field: &str, s: &str) -> Result<IpPrefix> {
    s.parse().map_err(|()| Error::InvalidAddress {
        kind: "ip prefix",
        field: field.to_string(),
        value: s.to_string(),
    })
}

/// Go's `netip.ParseAddr`, without a zone (an address here never has one).
pub(crate) fn parse_ip(field: &str, s: &str) -> Result<IpAddr> {
    talgen_gourl::net::parse_ip(s).ok_or_else(|| Error::InvalidAddress {
        kind: "ip address",
        field: field.to_string(),
        value: s.to_string(),
    })
}

pub(crate) fn parse_mac(field: &str, s: &str) -> Result<MacAddr> {
    s.parse().map_err(|()| Error::InvalidAddress {
        kind: "mac address",
        field: field.to_string(),
        value: s.to_string(),
    })
}

pub(crate) fn parse_v4(field: &str, s: &str) -> Result<Ipv4Addr> {
    match parse_ip(field, s)? {
        IpAddr::V4(a) => Ok(a),
        IpAddr::V6(_) => Err(Error::InvalidAddress {
            kind: "ipv4 address",
            field: field.to_string(),
            value: s.to_string(),
        }),
    }
}

pub(crate) fn parse_v6(field: &str, s: &str) -> Result<Ipv6Addr> {
    match parse_ip(field, s)? {
        IpAddr::V6(a) => Ok(a),
        IpAddr::V4(_) => Err(Error::InvalidAddress {
            kind: "ipv6 address",
            field: field.to_string(),
            value: s.to_string(),
        }),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileNetwork {
    #[serde(default)]
    interfaces: Vec<FileInterface>,
    #[serde(default)]
    nameservers: Vec<String>,
    #[serde(default)]
    search: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileInterface {
    name: String,
    #[serde(default)]
    mac: Option<String>,
    #[serde(default)]
    mtu: u32,
    #[serde(default)]
    dhcp4: bool,
    #[serde(default)]
    dhcp6: bool,
    #[serde(default)]
    addresses: Vec<String>,
    #[serde(default)]
    gateway4: Option<String>,
    #[serde(default)]
    gateway6: Option<String>,
    #[serde(default)]
    routes: Vec<FileRoute>,
    #[serde(default)]
    bond: Option<FileBond>,
    #[serde(default)]
    vlan: Option<FileVlan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRoute {
    to: String,
    via: String,
    #[serde(default)]
    metric: u32,
    #[serde(default)]
    table: u32,
    #[serde(default, rename = "on-link")]
    on_link: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBond {
    interfaces: Vec<String>,
    #[serde(default)]
    mode: String,
    #[serde(default, rename = "lacp-rate")]
    lacp_rate: String,
    #[serde(default, rename = "transmit-hash-policy")]
    hash_policy: String,
    #[serde(default, rename = "mii-monitor-interval")]
    miimon: u32,
    #[serde(default, rename = "up-delay")]
    up_delay: u32,
    #[serde(default, rename = "down-delay")]
    down_delay: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileVlan {
    id: u16,
    link: String,
}

impl FileNetwork {
    fn into_network(self) -> Result<NodeNetwork> {
        let mut net = NodeNetwork::default();
        for fi in self.interfaces {
            let name = fi.name;
            let kind = match (fi.bond, fi.vlan, fi.mac) {
                (Some(_), Some(_), _) => {
                    return Err(Error::InvalidNetwork {
                        interface: name,
                        reason: "both bond and vlan given".into(),
                    })
                }
                (Some(b), None, None) => InterfaceKind::Bond(Bond {
                    members: b.interfaces,
                    mode: b.mode,
                    lacp_rate: b.lacp_rate,
                    hash_policy: b.hash_policy,
                    miimon: b.miimon,
                    up_delay: b.up_delay,
                    down_delay: b.down_delay,
                }),
                (None, Some(v), None) => InterfaceKind::Vlan {
                    id: v.id,
                    link: v.link,
                },
                (None, None, mac) => InterfaceKind::Physical {
                    mac: mac.map(|m| parse_mac(&name, &m)).transpose()?,
                },
                _ => {
                    return Err(Error::InvalidNetwork {
                        interface: name,
                        reason: "mac applies to physical interfaces only".into(),
                    })
                }
            };
            let mut i = Interface::physical(&name, None);
            i.kind = kind;
            i.mtu = fi.mtu;
            i.dhcp4 = fi.dhcp4;
            i.dhcp6 = fi.dhcp6;
            for a in &fi.addresses {
                i.addresses.push(parse_prefix(&name, a)?);
            }
            i.gateway4 = fi.gateway4.map(|g| parse_v4(&name, &g)).transpose()?;
            i.gateway6 = fi.gateway6.map(|g| parse_v6(&name, &g)).transpose()?;
            for r in fi.routes {
                let via = parse_ip(&name, &r.via)?;
                i.routes.push(Route {
                    to: crate::netconfig::route_destination(&name, &r.to, via)?,
                    via,
                    metric: r.metric,
                    table: r.table,
                    on_link: r.on_link,
                });
            }
            net.interfaces.push(i);
        }
        for n in &self.nameservers {
            net.nameservers.push(parse_ip("nameservers", n)?);
        }
        net.search = self.search;
        Ok(net)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_follow_go_netip() {
        assert_eq!(
            "10.0.0.51/24".parse::<IpPrefix>().unwrap().to_string(),
            "10.0.0.51/24"
        );
        assert_eq!(
            "2001:DB8::1/64".parse::<IpPrefix>().unwrap().to_string(),
            "2001:db8::1/64"
        );
        for bad in [
            "10.0.0.1",
            "10.0.0.1/33",
            "10.0.0.1/024",
            "::1/129",
            "x/1",
            "10.0.0.1/",
        ] {
            assert!(bad.parse::<IpPrefix>().is_err(), "{bad}");
        }
    }

    #[test]
    fn macs() {
        let m: MacAddr = "AA:bb:CC:00:11:22".parse().unwrap();
        assert_eq!(m.to_string(), "aa:bb:cc:00:11:22");
        assert!("aa:bb:cc:00:11".parse::<MacAddr>().is_err());
        assert!("aa:bb:cc:00:11:22:33".parse::<MacAddr>().is_err());
        assert!("aa:bb:cc:00:11:2".parse::<MacAddr>().is_err());
    }

    /// Go's `net.ParseMAC` forms, limited to the 6-byte addresses of
    /// Ethernet links; written back in the one form Talos prints links in.
    #[test]
    fn macs_read_gos_forms() {
        for text in ["aa-bb-cc-00-11-22", "aabb.cc00.1122", "AA:BB:CC:00:11:22"] {
            let m: MacAddr = text.parse().unwrap();
            assert_eq!(m.to_string(), "aa:bb:cc:00:11:22", "{text}");
        }
        for bad in [
            "aa:bb-cc:00:11:22",
            "02:00:5e:10:00:00:00:01",
            "aabbcc001122",
            "aa:bb:cc:00:11:22:",
        ] {
            assert!(bad.parse::<MacAddr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn description_file() {
        let net = NodeNetwork::from_yaml(
            "interfaces:\n\
             - name: eth0\n  mac: 68:05:CA:B8:F1:F8\n\
             - name: eth1\n  mac: 68:05:ca:b8:f1:f9\n\
             - name: bond0\n  bond: {interfaces: [eth0, eth1], mode: 802.3ad, lacp-rate: fast}\n  addresses: [10.10.4.140/29]\n  gateway4: 10.10.4.137\n\
             - name: bond0.4\n  vlan: {id: 4, link: bond0}\n  dhcp4: true\n\
             nameservers: [1.1.1.1]\nsearch: [example.com]\n",
        )
        .unwrap();
        assert_eq!(net.interfaces.len(), 4);
        assert_eq!(net.nameservers, vec!["1.1.1.1".parse::<IpAddr>().unwrap()]);
    }

    #[test]
    fn validation_catches_dangling_references() {
        for (yaml, what) in [
            ("interfaces: [{name: b, bond: {interfaces: [x]}}]", "member"),
            ("interfaces: [{name: v, vlan: {id: 4, link: x}}]", "link"),
            (
                "interfaces: [{name: e}, {name: v, vlan: {id: 0, link: e}}]",
                "vlan id",
            ),
            ("interfaces: [{name: e}, {name: e}]", "twice"),
            (
                "interfaces: [{name: e}, {name: b, bond: {interfaces: [e], mode: fastest}}]",
                "mode",
            ),
            ("interfaces: [{name: 'a/b'}]", "interface names"),
            // Upstream: platform/nocloud/metadata.go
            // (applyNetworkConfigV2Ethernet) takes a route's family from its
            // gateway, so a destination of the other family cannot work.
            (
                "interfaces: [{name: e, routes: [{to: 10.0.0.0/8, via: 'fe80::1'}]}]",
                "family",
            ),
        ] {
            let e = NodeNetwork::from_yaml(yaml).unwrap_err().to_string();
            assert!(e.contains(what), "{yaml}: {e}");
        }
    }
}
