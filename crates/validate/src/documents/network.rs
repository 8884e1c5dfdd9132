//! Network kinds (`types/network/*.go`).

use std::net::IpAddr;

use talgen_config::meta::{Duration, Prefix};
use talgen_config::types::network::{
    AutoHostnameKind, BGPInstanceConfig, BlackholeRouteConfig, DHCPv4Config, DHCPv6Config,
    DNSProtocol, EthernetConfig, HCloudVIPConfig, HTTPProbeConfig, HostnameConfig, KubeSpanConfig,
    Layer2VIPConfig, NetworkRuleConfig, ResolverConfig, RoutingRuleConfig, StaticHostConfig,
    TCPProbeConfig, TimeSyncConfig,
};

use super::links::routing_table;
use crate::net;
use crate::report::Scope;
use crate::v1alpha1::KUBESPAN_MIN_MTU;

pub(super) fn kubespan(d: &KubeSpanConfig, s: &mut Scope<'_>) {
    if d.mtu.is_some_and(|m| m < KUBESPAN_MIN_MTU) {
        s.error(
            "mtu",
            format!("the KubeSpan link MTU must be at least {KUBESPAN_MIN_MTU}"),
        );
    }
    for cidr in d.filters.iter().flat_map(|f| f.endpoints.iter()) {
        let cidr = cidr.strip_prefix('!').unwrap_or(cidr);
        if net::check_subnet_or_address(cidr).is_err() {
            s.error(
                "filters.endpoints",
                format!("{cidr:?} is not a subnet or address"),
            );
        }
    }
}

pub(super) fn hostname(d: &HostnameConfig, s: &mut Scope<'_>) {
    if d.auto.is_none() && d.hostname.is_empty() {
        s.error("", "either auto or hostname is required");
    }
    let auto = d.auto.unwrap_or(AutoHostnameKind::Off);
    if auto != AutoHostnameKind::Off && !d.hostname.is_empty() {
        s.error("hostname", "auto and hostname exclude each other");
    }
    if auto == AutoHostnameKind::TalosAddr {
        s.error(
            "auto",
            format!("{:?} is not allowed here (off or stable)", auto.as_str()),
        );
    }
    if !d.hostname.is_empty() {
        if d.hostname.len() > 253 {
            s.error(
                "hostname",
                format!("the FQDN is {} bytes long, over 253", d.hostname.len()),
            );
        }
        let short = d.hostname.split('.').next().unwrap_or("");
        if short.is_empty() || short.len() > 63 {
            s.error("hostname", format!("{short:?} is not a valid host name"));
        }
    }
}

/// A VIP is named by its address.
fn vip_name(name: &str, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "the VIP address is required as the name");
    } else if net::parse_ip(name).is_none() {
        s.error("name", format!("{name:?} is not an IP address"));
    }
}

pub(super) fn layer2_vip(d: &Layer2VIPConfig, s: &mut Scope<'_>) {
    vip_name(&d.name, s);
    if d.link.is_empty() {
        s.error("link", "the link carrying the VIP is required");
    }
}

pub(super) fn hcloud_vip(d: &HCloudVIPConfig, s: &mut Scope<'_>) {
    layer2_vip(
        &Layer2VIPConfig {
            name: d.name.clone(),
            link: d.link.clone(),
        },
        s,
    );
    if d.api_token.is_empty() {
        s.error("apiToken", "a Hetzner Cloud API token is required");
    }
}

pub(super) fn blackhole_route(d: &BlackholeRouteConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "the destination prefix is required as the name");
    }
    if net::parse_prefix(&d.name).is_err() {
        s.error("name", format!("{:?} is not an address prefix", d.name));
    }
}

/// Rule priorities the kernel or Talos itself uses (local, KubeSpan, main, default).
const RESERVED_RULE_PRIORITIES: [u32; 4] = [0, 32500, 32766, 32767];

pub(super) fn routing_rule(d: &RoutingRuleConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "the rule priority is required as the name");
    }
    // Like Go's strconv.ParseUint: digits only, no sign, fits 32 bits.
    let priority = if d.name.bytes().all(|b| b.is_ascii_digit()) {
        d.name.parse::<u32>().ok()
    } else {
        None
    };
    if priority.is_none() {
        s.error(
            "name",
            format!("{:?} is not a priority (an unsigned integer)", d.name),
        );
    }
    // A failed parse reads as priority 0, which is reserved too.
    if RESERVED_RULE_PRIORITIES.contains(&priority.unwrap_or(0)) {
        s.error(
            "name",
            format!(
                "the priority must lie between 1 and 32765, except {RESERVED_RULE_PRIORITIES:?}"
            ),
        );
    }
    let table = routing_table(&d.table);
    if table.is_none() {
        s.error("table", format!("{:?} is not a routing table", d.table));
    }
    let action = d.action.to_ascii_lowercase();
    if !matches!(
        action.as_str(),
        "" | "unspec" | "unicast" | "blackhole" | "unreachable" | "prohibit"
    ) {
        s.error("action", format!("{:?} is not a rule action", d.action));
    }
    if table == Some(0) && matches!(action.as_str(), "" | "unspec" | "unicast") {
        s.error(
            "table",
            "a rule needs a table or an action other than unicast",
        );
    }
    if d.fw_mask != 0 && d.fw_mark == 0 {
        s.error("fwMask", "fwMask needs fwMark");
    }
}

fn probe_common(interval: Duration, failure_threshold: i64, s: &mut Scope<'_>) {
    if interval.0 < 0 {
        s.error(
            "interval",
            format!("the probe interval {interval} is negative"),
        );
    }
    if failure_threshold < 0 {
        s.error(
            "failureThreshold",
            format!("the failure threshold {failure_threshold} is negative"),
        );
    }
}

pub(super) fn tcp_probe(d: &TCPProbeConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "a probe name is required");
    }
    if d.endpoint.is_empty() {
        s.error("endpoint", "a TCP endpoint is required");
    }
    if d.timeout.0 < 0 {
        s.error("timeout", format!("the timeout {} is negative", d.timeout));
    }
    probe_common(d.interval, d.failure_threshold, s);
}

pub(super) fn http_probe(d: &HTTPProbeConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "a probe name is required");
    }
    let url = d.url.as_str();
    if url.is_empty() {
        s.error("url", "an HTTP URL is required");
    } else {
        let u = net::config_url(url);
        let scheme = u.scheme.as_str();
        if scheme != "http" && scheme != "https" {
            s.error("url", format!("the scheme {scheme:?} is not http or https"));
        } else if !u.opaque.is_empty() || u.hostname().is_empty() {
            s.error("url", "the URL needs the form http(s)://host/...");
        }
    }
    if d.timeout.0 < 0 {
        s.error("timeout", format!("the timeout {} is negative", d.timeout));
    }
    probe_common(d.interval, d.failure_threshold, s);
}

pub(super) fn time_sync(d: &TimeSyncConfig, s: &mut Scope<'_>) {
    if d.boot_timeout.0 < 0 {
        s.error("bootTimeout", "the boot timeout is negative");
    }
    if d.ntp.is_some() && d.ptp.is_some() {
        s.error("", "ntp and ptp exclude each other");
    }
    if let Some(ntp) = d.ntp.as_ref().filter(|n| n.use_nts == Some(true)) {
        for server in ntp.servers.iter().filter(|sv| net::parse_ip(sv).is_some()) {
            s.error(
                "ntp.servers",
                format!("{server:?}: NTS needs host names, not IP addresses"),
            );
        }
    }
}

pub(super) fn resolver(d: &ResolverConfig, s: &mut Scope<'_>) {
    let h = &d.host_dns;
    if h.enabled != Some(true) {
        if h.forward_kube_dns_to_host == Some(true) {
            s.error(
                "hostDNS.forwardKubeDNSToHost",
                "forwarding Kubernetes DNS to the host needs hostDNS.enabled",
            );
        }
        if h.resolve_member_names == Some(true) {
            s.error(
                "hostDNS.resolveMemberNames",
                "resolving member names needs hostDNS.enabled",
            );
        }
    }
    let mut encrypted = 0;
    for (i, ns) in d.nameservers.iter().enumerate() {
        let path = format!("nameservers[{i}]");
        match ns.protocol {
            DNSProtocol::DoT | DNSProtocol::DoH => {
                encrypted += 1;
                if ns.tls_server_name.is_empty() {
                    s.error(
                        &format!("{path}.tlsServerName"),
                        format!("{} needs a TLS server name", ns.protocol.as_str()),
                    );
                }
            }
            DNSProtocol::Do53 => {
                if !ns.tls_server_name.is_empty() {
                    s.error(
                        &format!("{path}.tlsServerName"),
                        "plain DNS (Do53) takes no TLS server name",
                    );
                }
            }
        }
        if ns.address.is_zero() {
            s.error(&format!("{path}.address"), "an IP address is required");
        }
    }
    if encrypted > 0 && encrypted == d.nameservers.len() {
        s.warn(
            "nameservers",
            "every nameserver is encrypted (DoT/DoH): certificate checks need a correct clock, \
             so boot can hang if NTP servers are given by name; keep one plain DNS server or \
             give NTP servers as IP addresses",
        );
    }
}

pub(super) fn static_host(d: &StaticHostConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "the host's IP address is required as the name");
    }
    if net::parse_ip(&d.name).is_none() {
        s.error("name", format!("{:?} is not an IP address", d.name));
    }
    if d.hostnames.is_empty() {
        s.error("hostnames", "at least one host name is required");
    }
}

/// DHCP client identifier rules shared by v4 and v6.
fn dhcp(name: &str, client_id: Option<&str>, duid_set: bool, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "the link name is required");
    }
    if let Some(id) = client_id {
        if !matches!(id.to_ascii_lowercase().as_str(), "none" | "mac" | "duid") {
            s.error(
                "clientIdentifier",
                format!("{id:?} is not none, mac or duid"),
            );
        }
    }
    let duid = client_id.is_some_and(|id| id.eq_ignore_ascii_case("duid"));
    if duid_set && !duid {
        s.error("duidRaw", "duidRaw needs clientIdentifier: duid");
    }
    if duid && !duid_set {
        s.error("duidRaw", "clientIdentifier: duid needs duidRaw");
    }
}

pub(super) fn dhcp4(d: &DHCPv4Config, s: &mut Scope<'_>) {
    dhcp(
        &d.name,
        d.client_identifier.as_deref(),
        !d.duid_raw.is_empty(),
        s,
    );
}

pub(super) fn dhcp6(d: &DHCPv6Config, s: &mut Scope<'_>) {
    dhcp(
        &d.name,
        d.client_identifier.as_deref(),
        !d.duid_raw.is_empty(),
        s,
    );
}

pub(super) fn ethernet(d: &EthernetConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "the link name is required");
    }
}

/// Upstream `RuleConfig.Validate` (returns at the first problem).
pub(super) fn network_rule(d: &NetworkRuleConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        return s.error("name", "a rule name is required");
    }
    if d.port_selector.ports.is_empty() {
        return s.error("portSelector.ports", "at least one port is required");
    }
    let mut ports: Vec<_> = d.port_selector.ports.iter().map(|p| (p.lo, p.hi)).collect();
    ports.sort_by_key(|p| p.0);
    let mut prev: Option<(u16, u16)> = None;
    for (lo, hi) in ports {
        let text = |lo: u16, hi: u16| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        };
        if lo > hi {
            return s.error(
                "portSelector.ports",
                format!("{} is not a port range (low above high)", text(lo, hi)),
            );
        }
        if let Some((plo, phi)) = prev {
            if lo <= phi {
                return s.error(
                    "portSelector.ports",
                    format!("{} overlaps {}", text(lo, hi), text(plo, phi)),
                );
            }
        }
        prev = Some((lo, hi));
    }
    for (i, rule) in d.ingress.iter().enumerate() {
        if rule.subnet.0.is_none() {
            return s.error(&format!("ingress[{i}].subnet"), "a subnet is required");
        }
    }
}

/// Whether one prefix contains the other (same address family only).
fn overlap(a: (IpAddr, u8), b: (IpAddr, u8)) -> bool {
    let contains =
        |(net, bits): (IpAddr, u8), ip: IpAddr| masked_addr(ip, bits) == masked_addr(net, bits);
    a.0.is_ipv4() == b.0.is_ipv4() && (contains(a, b.0) || contains(b, a.0))
}

/// `ip` with all but its first `bits` bits cleared.
fn masked_addr(ip: IpAddr, bits: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let m = u32::MAX
                .checked_shl(32 - u32::from(bits.min(32)))
                .unwrap_or(0);
            IpAddr::V4((u32::from(v4) & m).into())
        }
        IpAddr::V6(v6) => {
            let m = u128::MAX
                .checked_shl(128 - u32::from(bits.min(128)))
                .unwrap_or(0);
            IpAddr::V6((u128::from(v6) & m).into())
        }
    }
}

fn bgp_import_prefixes(i: usize, prefixes: &[Prefix], s: &mut Scope<'_>) {
    let path = format!("importRoutes[{i}].prefixes");
    if prefixes.is_empty() {
        s.error(&path, "at least one prefix is required");
    }
    for (j, p) in prefixes.iter().enumerate() {
        let Some((ip, bits)) = p.0 else {
            s.error(&format!("{path}[{j}]"), "a prefix is required");
            continue;
        };
        if masked_addr(ip, bits) != ip {
            s.error(
                &format!("{path}[{j}]"),
                format!("{ip}/{bits} has host bits set"),
            );
        }
        for (k, other) in prefixes.iter().enumerate().take(j) {
            if let Some(o) = other.0.filter(|&o| overlap(o, (ip, bits))) {
                s.error(
                    &format!("{path}[{j}]"),
                    format!("{ip}/{bits} overlaps prefixes[{k}] {}/{}", o.0, o.1),
                );
            }
        }
    }
}

pub(super) fn bgp(d: &BGPInstanceConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "an instance name is required");
    }
    if d.local_asn == 0 {
        s.error("localASN", "a local ASN is required");
    }
    if d.router_id.ip().is_some_and(|ip| !ip.is_ipv4()) {
        s.error("routerID", "the router ID must be an IPv4 address");
    }
    if d.neighbors.is_empty() {
        s.warn("neighbors", "no BGP neighbors are configured");
    }
    let mut seen: Vec<String> = Vec::new();
    for (i, n) in d.neighbors.iter().enumerate() {
        let path = format!("neighbors[{i}]");
        // Upstream keys a neighbor by `Addr.String`, zone included.
        let key = match (n.address.is_zero(), n.link.is_empty()) {
            (false, true) => Some(n.address.to_string()),
            (true, false) => Some(n.link.clone()),
            _ => {
                s.error(&path, "set exactly one of address or link");
                None
            }
        };
        if n.hold_time.0 < 0 {
            s.error(&format!("{path}.holdTime"), "the hold time is negative");
        }
        if let Some(bfd) = &n.bfd {
            if !d.vrf.is_empty() {
                s.error(
                    &format!("{path}.bfd"),
                    "BFD is not available on an instance bound to a VRF",
                );
            }
            if bfd.transmit_interval.0 < 0 {
                s.error(
                    &format!("{path}.bfd.transmitInterval"),
                    "the BFD transmit interval is negative",
                );
            }
            if bfd.receive_interval.0 < 0 {
                s.error(
                    &format!("{path}.bfd.receiveInterval"),
                    "the BFD receive interval is negative",
                );
            }
        }
        if let Some(key) = key {
            if seen.contains(&key) {
                s.error(&path, format!("neighbor {key:?} is listed twice"));
            }
            seen.push(key);
        }
    }
    let mut sources: Vec<&str> = Vec::new();
    let mut selectors: Vec<((IpAddr, u8), usize)> = Vec::new();
    for (i, r) in d.import_routes.iter().enumerate() {
        let path = format!("importRoutes[{i}].bgpInstance");
        if r.bgp_instance.is_empty() {
            s.error(&path, "the source BGP instance is required");
        } else if r.bgp_instance == d.name {
            s.error(&path, "an instance cannot import its own routes");
        }
        bgp_import_prefixes(i, &r.prefixes, s);
        if !r.bgp_instance.is_empty() {
            if sources.contains(&r.bgp_instance.as_str()) {
                s.error(
                    &path,
                    format!("routes of {:?} are imported twice", r.bgp_instance),
                );
            }
            sources.push(&r.bgp_instance);
        }
        for (ip, bits) in r.prefixes.iter().filter_map(|p| p.0) {
            if masked_addr(ip, bits) != ip {
                continue;
            }
            for &(other, j) in &selectors {
                if j != i && overlap(other, (ip, bits)) {
                    s.error(
                        &format!("importRoutes[{i}].prefixes"),
                        format!(
                            "{ip}/{bits} overlaps importRoutes[{j}] prefix {}/{}",
                            other.0, other.1
                        ),
                    );
                }
            }
            selectors.push(((ip, bits), i));
        }
    }
}
