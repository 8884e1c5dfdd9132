//! Network kinds (`types/network/*.go`).

use talgen_config::types::network::{AutoHostnameKind, HostnameConfig, KubeSpanConfig};

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
