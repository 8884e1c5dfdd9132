//! `machine.network`: interfaces, bonds, bridges, VLANs, WireGuard, routes
//! (upstream `ValidateNetworkDevices` and its checks).

use std::collections::HashMap;

use base64::Engine as _;
use talgen_config::v1alpha1::{
    Bond, Device, DeviceWireguardConfig, MachineConfig, NetworkDeviceSelector,
};

use super::kubespan;
use crate::net;
use crate::report::Scope;

const BOND_MODES: &[&str] = &[
    "",
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];
const XMIT_HASH_POLICIES: &[&str] = &["", "layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4"];
const LACP_RATES: &[&str] = &["", "slow", "fast"];
const ARP_VALIDATE: &[&str] = &[
    "",
    "none",
    "active",
    "backup",
    "all",
    "filter",
    "filter-active",
    "filter-backup",
];
const ARP_ALL_TARGETS: &[&str] = &["", "any", "all"];
const PRIMARY_RESELECT: &[&str] = &["", "always", "better", "failure"];
const FAIL_OVER_MAC: &[&str] = &["", "none", "active", "follow"];
const AD_SELECT: &[&str] = &["", "stable", "bandwidth", "count"];

pub(super) fn validate(m: &MachineConfig, s: &mut Scope<'_>) {
    let Some(network) = &m.network else { return };
    // Links enslaved by a bond or bridge, mapped to their master.
    let mut secondary: HashMap<&str, &str> = HashMap::new();
    for (i, d) in network.interfaces.iter().enumerate() {
        let path = format!("machine.network.interfaces[{i}]");
        if d.bond.is_some() && d.bridge.is_some() {
            s.error(
                &path,
                format!("{:?} cannot be both a bond and a bridge", d.interface),
            );
        }
        let mut members: &[String] = &[];
        if let Some(bond) = &d.bond {
            members = &bond.interfaces;
            if !bond.interfaces.is_empty() && !bond.device_selectors.is_empty() {
                s.error(
                    &format!("{path}.bond"),
                    format!(
                        "{:?}: interfaces and deviceSelectors exclude each other",
                        d.interface
                    ),
                );
            }
        }
        if let Some(bridge) = &d.bridge {
            members = &bridge.interfaces;
        }
        for member in members {
            if let Some(other) = secondary.get(member.as_str()) {
                if *other != d.interface {
                    s.error(
                        &path,
                        format!(
                            "link {member:?} is enslaved to both {other:?} and {:?}",
                            d.interface
                        ),
                    );
                }
            }
            secondary.insert(member, &d.interface);
        }
    }
    for (i, d) in network.interfaces.iter().enumerate() {
        if d.ignore == Some(true) {
            continue;
        }
        let path = format!("machine.network.interfaces[{i}]");
        check_interface(d, &path, s);
        check_addressing(d, &secondary, &path, s);
        check_routes(d, &path, s);
    }
    kubespan::validate_mtu(m, s);
}

fn selector_is_empty(sel: &NetworkDeviceSelector) -> bool {
    sel.bus_path.is_empty()
        && sel.hardware_addr.is_empty()
        && sel.permanent_addr.is_empty()
        && sel.pci_id.is_empty()
        && sel.driver.is_empty()
        && sel.physical.is_none()
}

fn check_interface(d: &Device, path: &str, s: &mut Scope<'_>) {
    match (d.interface.is_empty(), d.device_selector.is_some()) {
        (true, false) => s.error(path, "either interface or deviceSelector is required"),
        (false, true) => s.error(path, "interface and deviceSelector exclude each other"),
        _ => {}
    }
    if d.device_selector.as_ref().is_some_and(selector_is_empty) {
        s.error(
            &format!("{path}.deviceSelector"),
            "the selector sets no field",
        );
    }
    if let Some(bond) = &d.bond {
        check_bond(bond, &format!("{path}.bond"), s);
    }
    if let Some(wg) = &d.wireguard {
        check_wireguard(wg, &format!("{path}.wireguard"), s);
    }
    for (j, vlan) in d.vlans.iter().enumerate() {
        let vpath = format!("{path}.vlans[{j}]");
        let name = format!("{}.{}", d.interface, vlan.vlan_id);
        if !vlan.addresses.is_empty() && !vlan.cidr.is_empty() {
            s.error(
                &vpath,
                format!("{name}: cidr and addresses exclude each other"),
            );
        }
        if !vlan.cidr.is_empty() {
            if let Err(e) = net::check_ip_or_cidr(&vlan.cidr) {
                s.error(&format!("{vpath}.cidr"), format!("{name}: {e}"));
            }
        }
        for addr in &vlan.addresses {
            if let Err(e) = net::check_ip_or_cidr(addr) {
                s.error(&format!("{vpath}.addresses"), format!("{name}: {e}"));
            }
        }
    }
}

fn one_of(value: &str, allowed: &[&str], what: &str, path: &str, s: &mut Scope<'_>) {
    if !allowed.contains(&value) {
        s.error(path, format!("{value:?} is not a valid {what}"));
    }
}

fn check_bond(b: &Bond, path: &str, s: &mut Scope<'_>) {
    let field = |f: &str| format!("{path}.{f}");
    one_of(&b.mode, BOND_MODES, "bond mode", &field("mode"), s);
    one_of(
        &b.xmit_hash_policy,
        XMIT_HASH_POLICIES,
        "transmit hash policy",
        &field("xmitHashPolicy"),
        s,
    );
    one_of(&b.lacp_rate, LACP_RATES, "LACP rate", &field("lacpRate"), s);
    one_of(
        &b.arp_validate,
        ARP_VALIDATE,
        "ARP validation mode",
        &field("arpValidate"),
        s,
    );
    one_of(
        &b.arp_all_targets,
        ARP_ALL_TARGETS,
        "arpAllTargets mode",
        &field("arpAllTargets"),
        s,
    );
    one_of(
        &b.primary_reselect,
        PRIMARY_RESELECT,
        "primary reselect mode",
        &field("primaryReselect"),
        s,
    );
    one_of(
        &b.fail_over_mac,
        FAIL_OVER_MAC,
        "failOverMac value",
        &field("failOverMac"),
        s,
    );
    one_of(
        &b.ad_select,
        AD_SELECT,
        "adSelect mode",
        &field("adSelect"),
        s,
    );

    if b.miimon == 0 {
        if b.updelay != 0 {
            s.error(&field("updelay"), "needs miimon to be set");
        }
        if b.downdelay != 0 {
            s.error(&field("downdelay"), "needs miimon to be set");
        }
    } else {
        if !b.updelay.is_multiple_of(b.miimon) {
            s.error(&field("updelay"), "must be a multiple of miimon");
        }
        if !b.downdelay.is_multiple_of(b.miimon) {
            s.error(&field("downdelay"), "must be a multiple of miimon");
        }
    }
    if !b.arp_ip_target.is_empty() {
        s.error(&field("arpIPTarget"), "is not supported");
    }
    // An unknown mode reads as round-robin upstream (the zero value).
    let mode = if BOND_MODES.contains(&b.mode.as_str()) && !b.mode.is_empty() {
        b.mode.as_str()
    } else {
        "balance-rr"
    };
    let lacp = mode == "802.3ad";
    let lb = matches!(mode, "balance-alb" | "balance-tlb");
    if !b.lacp_rate.is_empty() && !lacp {
        s.error(&field("lacpRate"), "is only available in 802.3ad mode");
    }
    if !b.ad_actor_system.is_empty() {
        s.error(&field("adActorSystem"), "is not supported");
    }
    if (lacp || lb) && !b.arp_validate.is_empty() {
        s.error(
            &field("arpValidate"),
            format!("is not available in {mode} mode"),
        );
    }
    let primary_allowed = mode == "active-backup" || lb;
    if !primary_allowed && !b.primary.is_empty() {
        s.error(
            &field("primary"),
            format!("is not available in {mode} mode"),
        );
    }
    if (lacp || lb) && b.arp_interval > 0 {
        s.error(
            &field("arpInterval"),
            format!("is not available in {mode} mode"),
        );
    }
    if mode != "balance-rr" && b.packets_per_slave > 1 {
        s.error(
            &field("packetsPerSlave"),
            format!("is not available in {mode} mode"),
        );
    }
    if !lb && b.tlb_dynamic_lb > 0 {
        s.error(
            &field("tlbDynamicLb"),
            format!("is not available in {mode} mode"),
        );
    }
    if !lacp && b.ad_actor_sys_prio > 0 {
        s.error(
            &field("adActorSysPrio"),
            "is only available in 802.3ad mode",
        );
    }
    if !lacp && b.ad_user_port_key > 0 {
        s.error(&field("adUserPortKey"), "is only available in 802.3ad mode");
    }
}

/// A WireGuard key: base64 of exactly 32 bytes.
fn check_key(key: &str) -> Result<(), String> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(key)
        .map_err(|e| format!("not base64: {e}"))?;
    if raw.len() != 32 {
        return Err(format!("decodes to {} bytes, not 32", raw.len()));
    }
    Ok(())
}

fn check_wireguard(wg: &DeviceWireguardConfig, path: &str, s: &mut Scope<'_>) {
    if let Err(e) = check_key(&wg.private_key) {
        s.error(&format!("{path}.privateKey"), e);
    }
    for (i, peer) in wg.peers.iter().enumerate() {
        let ppath = format!("{path}.peers[{i}]");
        if let Err(e) = check_key(&peer.public_key) {
            s.error(&format!("{ppath}.publicKey"), e);
        }
        if !peer.endpoint.is_empty() && !net::address_contains_port(&peer.endpoint) {
            s.error(
                &format!("{ppath}.endpoint"),
                format!("{:?} is not host:port", peer.endpoint),
            );
        }
        for ip in &peer.allowed_ips {
            if let Err(e) = net::parse_cidr(ip) {
                s.error(&format!("{ppath}.allowedIPs"), e);
            }
        }
    }
}

fn check_addressing(d: &Device, secondary: &HashMap<&str, &str>, path: &str, s: &mut Scope<'_>) {
    if secondary.contains_key(d.interface.as_str())
        && (d.dhcp == Some(true)
            || !d.cidr.is_empty()
            || !d.addresses.is_empty()
            || d.vip.is_some())
    {
        s.error(
            path,
            format!(
                "{:?} is part of a bond or bridge and cannot be addressed itself",
                d.interface
            ),
        );
    }
    if !d.addresses.is_empty() && !d.cidr.is_empty() {
        s.error(
            path,
            format!("{:?}: cidr and addresses exclude each other", d.interface),
        );
    }
    if !d.cidr.is_empty() {
        if let Err(e) = net::check_ip_or_cidr(&d.cidr) {
            s.error(&format!("{path}.cidr"), format!("{:?}: {e}", d.interface));
        }
        s.warn(
            &format!("{path}.cidr"),
            format!("{:?}: cidr is deprecated, use addresses", d.interface),
        );
    }
    for addr in &d.addresses {
        if let Err(e) = net::check_ip_or_cidr(addr) {
            s.error(
                &format!("{path}.addresses"),
                format!("{:?}: {e}", d.interface),
            );
        }
    }
    if let Some(vip) = &d.vip {
        if net::parse_ip(&vip.ip).is_none() {
            s.error(
                &format!("{path}.vip.ip"),
                format!("{:?} is not an IP address", vip.ip),
            );
        }
    }
}

fn check_routes(d: &Device, path: &str, s: &mut Scope<'_>) {
    for (i, r) in d.routes.iter().enumerate() {
        let rpath = format!("{path}.routes[{i}]");
        if !r.network.is_empty() && net::parse_cidr(&r.network).is_err() {
            s.error(
                &format!("{rpath}.network"),
                format!("{:?} is not a network prefix", r.network),
            );
        }
        if !r.gateway.is_empty() && net::parse_ip(&r.gateway).is_none() {
            s.error(
                &format!("{rpath}.gateway"),
                format!("{:?} is not an IP address", r.gateway),
            );
        }
        if r.gateway.is_empty() && r.network.is_empty() {
            s.error(&rpath, "a route needs a network or a gateway");
        }
        if !r.source.is_empty() && net::parse_ip(&r.source).is_none() {
            s.error(
                &format!("{rpath}.source"),
                format!("{:?} is not an IP address", r.source),
            );
        }
    }
}
