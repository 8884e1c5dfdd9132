//! Address, CIDR, endpoint and DNS-name checks shaped like the Go standard
//! library and siderolabs/net functions Talos calls.

use std::net::IpAddr;

use talgen_gourl::{net, netip, strconv, GoUrl};

/// Parses an IP address as Go's `net.ParseIP` accepts it (`netip.ParseAddr`
/// without a zone).
pub(crate) fn parse_ip(text: &str) -> Option<IpAddr> {
    net::parse_ip(text)
}

/// Parses `addr/bits` like Go's `net.ParseCIDR` (leading zeros allowed in
/// the length).
pub(crate) fn parse_cidr(text: &str) -> Result<(IpAddr, u8), String> {
    net::parse_cidr(text).map_err(|_| format!("invalid CIDR address {text:?}"))
}

/// Parses `addr/bits` like Go's `netip.ParsePrefix` (no leading zero in
/// the length, no zone).
pub(crate) fn parse_prefix(text: &str) -> Result<(IpAddr, u8), netip::PrefixError> {
    netip::parse_prefix(text)
}

/// An address with or without a prefix (`validateIPOrCIDR` upstream).
pub(crate) fn check_ip_or_cidr(text: &str) -> Result<(), String> {
    if text.contains('/') {
        parse_cidr(text).map(|_| ())
    } else if parse_ip(text).is_some() {
        Ok(())
    } else {
        Err(format!("{text:?} is not an IP address"))
    }
}

/// A subnet, or a bare address (zone allowed) meaning a single-host subnet
/// (siderolabs/net `ParseSubnetOrAddress`: `netip.ParsePrefix` when there
/// is a `/`, else `netip.ParseAddr`).
pub(crate) fn check_subnet_or_address(text: &str) -> Result<(), String> {
    let parsed = if text.contains('/') {
        parse_prefix(text).is_ok()
    } else {
        netip::parse_addr(text).is_ok()
    };
    if parsed {
        Ok(())
    } else {
        Err(format!("{text:?} is neither a subnet nor an address"))
    }
}

/// A URL held by a config document, split as Go's `url.Parse` splits it.
/// Loading already checked the text with the same rules, so a refusal
/// can only come from a document built in code; it reads as an empty URL
/// (no scheme, host or path), which every check then reports.
pub(crate) fn config_url(text: &str) -> GoUrl {
    GoUrl::parse(text).unwrap_or_default()
}

/// Checks an endpoint URL as siderolabs/net `ValidateEndpointURI` does:
/// Go's `url.Parse` must accept it, an IPv6 host must be bracketed, a host
/// must be present and a port, if given, in range.
pub(crate) fn check_endpoint_uri(url: &str) -> Result<(), String> {
    let Ok(u) = GoUrl::parse(url) else {
        return Err(format!("{url:?} is not a valid URL"));
    };
    // Upstream counts colons and brackets in the host with its port.
    if u.host.matches(':').count() > 2 && !(u.host.contains('[') && u.host.contains(']')) {
        return Err("an IPv6 host must be written in square brackets".to_owned());
    }
    if u.hostname().is_empty() {
        return Err(format!("{url:?} has no host name"));
    }
    let port = u.port();
    if !port.is_empty() {
        // `url.Parse` leaves only digits here; Go's `Atoi` can still
        // overflow, which upstream reports as not numeric.
        match strconv::atoi(port) {
            Ok(p) if (1..=65535).contains(&p) => {}
            Ok(_) => return Err(format!("port {port} is outside 1-65535")),
            Err(_) => return Err(format!("port {port:?} is not a number")),
        }
    }
    Ok(())
}

/// Whether `addr` is `host:port` as Go's `net.SplitHostPort` splits it,
/// with a host that is either free of colons or an IPv6 address (zone
/// allowed): siderolabs/net `AddressContainsPort`.
pub(crate) fn address_contains_port(addr: &str) -> bool {
    match net::split_host_port(addr) {
        Ok((host, _)) => !host.contains(':') || netip::parse_addr(host).is_ok(),
        Err(_) => false,
    }
}

/// A DNS domain name as Talos accepts for `cluster.network.dnsDomain`:
/// labels of letters, digits, `_` and `-` (not leading), up to 63 bytes,
/// dot-separated, an optional trailing dot or underscore, 255 bytes overall.
pub(crate) fn is_valid_dns_name(name: &str) -> bool {
    if name.is_empty() || name.len() - name.matches('.').count() > 255 {
        return false;
    }
    let body = name
        .strip_suffix('.')
        .or_else(|| name.strip_suffix('_'))
        .unwrap_or(name);
    let label_ok = |l: &str| {
        let mut chars = l.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric() || c == '_')
            && l.len() <= 63
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    // A trailing `_` may also belong to the last label; try both readings.
    body.split('.').all(label_ok) || (body != name && name.split('.').all(label_ok))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        assert!(check_endpoint_uri("https://1.2.3.4:6443").is_ok());
        assert!(check_endpoint_uri("https://[2001:db8::1]:6443").is_ok());
        assert!(check_endpoint_uri("https://2001:db8::1:6443").is_err());
        assert!(check_endpoint_uri("https://:6443").is_err());
        assert!(check_endpoint_uri("https://host:70000").is_err());
        assert!(check_endpoint_uri("host:6443").is_err());
        // Go's url.Parse takes spaces outside the host; Atoi overflows.
        assert!(check_endpoint_uri("https://1.2.3.4:6443/?q=a b").is_ok());
        assert!(check_endpoint_uri("https://h:0").is_err());
        assert_eq!(
            check_endpoint_uri("https://h:99999999999").unwrap_err(),
            "port 99999999999 is outside 1-65535"
        );
        assert_eq!(
            check_endpoint_uri("https://h:99999999999999999999").unwrap_err(),
            "port \"99999999999999999999\" is not a number"
        );
    }

    #[test]
    fn cidrs() {
        assert!(parse_cidr("10.0.0.0/8").is_ok());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("fd00::/128").is_ok());
        assert!(check_ip_or_cidr("10.0.0.1").is_ok());
        assert!(check_ip_or_cidr("10.0.0").is_err());
        assert!(check_subnet_or_address("192.168.0.0/16").is_ok());
        assert!(check_subnet_or_address("foo").is_err());
        // net.ParseCIDR takes leading zeros in the length, netip.ParsePrefix does not.
        assert_eq!(parse_cidr("10.0.0.0/0008").unwrap().1, 8);
        assert!(parse_cidr("10.0.0.0/0033").is_err());
        assert!(check_subnet_or_address("10.0.0.0/08").is_err());
        assert!(check_subnet_or_address("10.0.0.0/0").is_ok());
        assert!(check_subnet_or_address("fe80::1%eth0").is_ok());
        assert!(check_subnet_or_address("10.0.0.1%eth0").is_err());
        assert!(check_subnet_or_address("fe80::1%").is_err());
    }

    #[test]
    fn dns_names() {
        assert!(is_valid_dns_name("cluster.local"));
        assert!(is_valid_dns_name("cluster.local."));
        assert!(!is_valid_dns_name("-bad.local"));
        assert!(!is_valid_dns_name("a..b"));
        assert!(!is_valid_dns_name(""));
    }

    #[test]
    fn ports() {
        assert!(address_contains_port("1.2.3.4:51820"));
        assert!(address_contains_port("[fd00::1]:51820"));
        assert!(!address_contains_port("1.2.3.4"));
        assert!(!address_contains_port("fd00::1"));
        assert!(address_contains_port("[fe80::1%eth0]:51820"));
        assert!(address_contains_port("host:"));
        assert!(!address_contains_port("[host:x]:1"));
        assert!(!address_contains_port("[10.0.0.1]:x:1"));
    }
}
