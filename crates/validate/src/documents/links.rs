//! Link kinds (`types/network/{link,bond,bridge,vlan,vrf,dummy,veth,
//! wireguard,link_alias}.go` `Validate` methods) and their shared
//! addresses and routes (upstream `CommonLinkConfig.Validate`).

use base64::Engine as _;
use talgen_config::types::network::{
    AddressConfig, BondConfig, BridgeConfig, DummyLinkConfig, LinkAliasConfig, LinkConfig,
    RouteConfig, VLANConfig, VRFConfig, VethConfig, WireguardConfig,
};

use crate::report::Scope;

/// Highest VLAN ID 802.1Q allows.
const MAX_VLAN_ID: u16 = 4094;
/// Longest Linux interface name (`IFNAMSIZ` minus the terminator).
const MAX_IFNAME: usize = 15;
/// Bytes of a decoded WireGuard key.
const WIREGUARD_KEY_SIZE: usize = 32;

fn link_name(name: &str, s: &mut Scope<'_>) {
    if name.is_empty() {
        s.error("name", "a link name is required");
    }
}

/// Addresses and routes every link kind carries; `prefix` is the path of
/// the link inside the document (`""` or `"peer."`).
fn common(prefix: &str, addresses: &[AddressConfig], routes: &[RouteConfig], s: &mut Scope<'_>) {
    for (i, a) in addresses.iter().enumerate() {
        let path = format!("{prefix}addresses[{i}].address");
        match a.address.0 {
            None => s.error(&path, "an address is required"),
            Some((ip, _)) if ip.is_unspecified() => {
                s.error(&path, format!("{ip} is the unspecified address"))
            }
            Some(_) => {}
        }
    }
    for (i, r) in routes.iter().enumerate() {
        if r.destination.0.is_some_and(|(ip, _)| ip.is_unspecified()) {
            s.error(
                &format!("{prefix}routes[{i}].destination"),
                "the destination cannot be the unspecified address (leave it empty for a default route)",
            );
        }
        if r.gateway.ip().is_some_and(|ip| ip.is_unspecified()) {
            s.error(
                &format!("{prefix}routes[{i}].gateway"),
                "the gateway cannot be the unspecified address",
            );
        }
        if r.source.ip().is_some_and(|ip| ip.is_unspecified()) {
            s.error(
                &format!("{prefix}routes[{i}].source"),
                "the source cannot be the unspecified address",
            );
        }
    }
}

pub(super) fn link(d: &LinkConfig, s: &mut Scope<'_>) {
    link_name(&d.name, s);
    common("", &d.addresses, &d.routes, s);
}

pub(super) fn dummy(d: &DummyLinkConfig, s: &mut Scope<'_>) {
    link_name(&d.name, s);
    common("", &d.addresses, &d.routes, s);
}

pub(super) fn bridge(d: &BridgeConfig, s: &mut Scope<'_>) {
    link_name(&d.name, s);
    common("", &d.addresses, &d.routes, s);
}

/// Bond modes the kernel knows, by their text name (`nethelpers.BondMode`).
const BOND_MODES: [&str; 7] = [
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];

pub(super) fn bond(d: &BondConfig, s: &mut Scope<'_>) {
    link_name(&d.name, s);
    if d.links.is_empty() {
        s.error("links", "a bond needs at least one link");
    }
    let mode = d.bond_mode.as_deref();
    match mode {
        None => s.error("bondMode", "a bond mode is required"),
        Some(m) if !BOND_MODES.contains(&m) => s.error(
            "bondMode",
            format!("{m:?} is not a bond mode ({BOND_MODES:?})"),
        ),
        Some("802.3ad") => {
            let unset = [
                ("miimon", d.miimon.is_none()),
                ("updelay", d.updelay.is_none()),
                ("downdelay", d.downdelay.is_none()),
            ];
            for (field, missing) in unset {
                if missing {
                    s.warn(field, format!("{field} is not set for an 802.3ad bond"));
                }
            }
        }
        Some(_) => {}
    }
    // Only these modes have a primary link.
    let uses_primary = matches!(mode, Some("active-backup" | "balance-tlb" | "balance-alb"));
    match &d.primary {
        Some(primary) => {
            if primary.is_empty() {
                s.error("primary", "the primary link name is empty");
            } else if !d.links.contains(primary) {
                s.error(
                    "primary",
                    format!("the primary link {primary:?} is not one of the bond's links"),
                );
            }
            if let Some(m) = mode.filter(|_| !uses_primary) {
                s.error("primary", format!("a {m:?} bond has no primary link"));
            }
        }
        None if d.primary_reselect.is_some() && uses_primary => s.warn(
            "primaryReselect",
            "primaryReselect does nothing without a primary link",
        ),
        None => {}
    }
    common("", &d.addresses, &d.routes, s);
}

pub(super) fn vlan(d: &VLANConfig, s: &mut Scope<'_>) {
    link_name(&d.name, s);
    if d.vlan_id == 0 || d.vlan_id > MAX_VLAN_ID {
        s.error(
            "vlanID",
            format!("a VLAN ID between 1 and {MAX_VLAN_ID} is required"),
        );
    }
    if d.parent.is_empty() {
        s.error("parent", "a parent link is required");
    }
    if let Some(mode) = &d.vlan_mode {
        if !matches!(mode.to_ascii_lowercase().as_str(), "802.1q" | "802.1ad") {
            s.error("vlanMode", format!("{mode:?} is not 802.1q or 802.1ad"));
        }
    }
    common("", &d.addresses, &d.routes, s);
}

/// A routing table's number from its text name (`nethelpers.RoutingTable`):
/// `unspec`, `1`-`252`, `default`, `main`, `local`.
pub(super) fn routing_table(text: &str) -> Option<u32> {
    match text.to_ascii_lowercase().as_str() {
        "" | "unspec" => Some(0),
        "default" => Some(253),
        "main" => Some(254),
        "local" => Some(255),
        n => n.parse().ok().filter(|t| (1..=252).contains(t)),
    }
}

pub(super) fn vrf(d: &VRFConfig, s: &mut Scope<'_>) {
    link_name(&d.name, s);
    match routing_table(&d.table) {
        None => s.error("table", format!("{:?} is not a routing table", d.table)),
        Some(0 | 253..) => s.error(
            "table",
            format!(
                "a VRF cannot use the reserved table {:?} (pick 1-252)",
                d.table
            ),
        ),
        Some(_) => {}
    }
    common("", &d.addresses, &d.routes, s);
}

/// Linux interface name rules for both ends of a veth pair.
fn veth_name(path: &str, name: &str, s: &mut Scope<'_>) {
    let problem = if name.is_empty() {
        "a name is required".to_owned()
    } else if name.len() > MAX_IFNAME {
        format!("{name:?} is longer than {MAX_IFNAME} bytes")
    } else if name == "." || name == ".." {
        format!("{name:?} is not a usable interface name")
    } else if name.contains(['/', ':']) {
        format!("{name:?} contains '/' or ':'")
    } else if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        format!("{name:?} contains whitespace or control characters")
    } else {
        return;
    };
    s.error(path, problem);
}

pub(super) fn veth(d: &VethConfig, s: &mut Scope<'_>) {
    veth_name("name", &d.name, s);
    veth_name("peer.name", &d.peer.name, s);
    if !d.name.is_empty() && d.name == d.peer.name {
        s.error("peer.name", "the peer needs a name of its own");
    }
    common("", &d.addresses, &d.routes, s);
    common("peer.", &d.peer.addresses, &d.peer.routes, s);
}

/// Why a WireGuard key is unusable, if it is.
fn wireguard_key(key: &str) -> Option<String> {
    match base64::engine::general_purpose::STANDARD.decode(key) {
        Err(e) => Some(format!("not base64: {e}")),
        Ok(raw) if raw.len() != WIREGUARD_KEY_SIZE => Some(format!(
            "decodes to {} bytes, not {WIREGUARD_KEY_SIZE}",
            raw.len()
        )),
        Ok(_) => None,
    }
}

pub(super) fn wireguard(d: &WireguardConfig, s: &mut Scope<'_>) {
    link_name(&d.name, s);
    if d.private_key.is_empty() {
        s.error("privateKey", "a private key is required");
    } else if let Some(e) = wireguard_key(&d.private_key) {
        s.error("privateKey", format!("the private key is invalid: {e}"));
    }
    if !(0..=65535).contains(&d.listen_port) {
        s.error("listenPort", "the listen port must lie between 0 and 65535");
    }
    for (i, peer) in d.peers.iter().enumerate() {
        if peer.public_key.is_empty() {
            s.error(&format!("peers[{i}].publicKey"), "a public key is required");
        } else if let Some(e) = wireguard_key(&peer.public_key) {
            s.error(
                &format!("peers[{i}].publicKey"),
                format!("the public key is invalid: {e}"),
            );
        }
        if !peer.preshared_key.is_empty() {
            if let Some(e) = wireguard_key(&peer.preshared_key) {
                s.error(
                    &format!("peers[{i}].presharedKey"),
                    format!("the preshared key is invalid: {e}"),
                );
            }
        }
        if peer.persistent_keepalive_interval.0 < 0 {
            s.error(
                &format!("peers[{i}].persistentKeepaliveInterval"),
                "the keepalive interval is negative",
            );
        }
    }
    common("", &d.addresses, &d.routes, s);
}

pub(super) fn link_alias(d: &LinkAliasConfig, s: &mut Scope<'_>) {
    if d.name.is_empty() {
        s.error("name", "an alias name is required");
    } else if let Some((prefix, suffix)) = d.name.split_once('%') {
        // A pattern alias numbers its matches: `net%d` gives net0, net1...
        if suffix != "d" || prefix.is_empty() {
            s.error(
                "name",
                format!(
                    "{:?}: a pattern alias ends in %d after a non-empty prefix",
                    d.name
                ),
            );
        }
    }
    if d.selector.match_expr.is_empty() {
        s.error("selector.match", "a link selector is required");
    } else if let Err(e) = crate::cel::check_bool(&d.selector.match_expr.0, crate::cel::Env::Link) {
        s.error("selector.match", format!("not a valid link selector: {e}"));
    }
}
