//! KubeSpan settings in `machine.network.kubespan`.

use talgen_config::v1alpha1::{MachineConfig, NetworkKubeSpan};

use crate::net;
use crate::report::Scope;

/// The smallest MTU the KubeSpan link may use (`constants.KubeSpanLinkMinimumMTU`).
pub(crate) const KUBESPAN_MIN_MTU: u32 = 1280;

/// The KubeSpan link MTU used when none is set.
pub(crate) const KUBESPAN_DEFAULT_MTU: u32 = 1420;

/// The KubeSpan section when KubeSpan is enabled.
pub(super) fn enabled(m: &MachineConfig) -> Option<&NetworkKubeSpan> {
    m.network
        .as_ref()
        .and_then(|n| n.kubespan.as_ref())
        .filter(|k| k.enabled == Some(true))
}

/// The link MTU must leave room for IPv6.
pub(super) fn validate_mtu(m: &MachineConfig, s: &mut Scope<'_>) {
    if let Some(k) = enabled(m) {
        if k.mtu.filter(|m| *m != 0).unwrap_or(KUBESPAN_DEFAULT_MTU) < KUBESPAN_MIN_MTU {
            s.error(
                "machine.network.kubespan.mtu",
                format!("the KubeSpan link MTU must be at least {KUBESPAN_MIN_MTU}"),
            );
        }
    }
}

/// Endpoint filters are (negated) subnets or addresses; excluded advertised
/// networks are prefixes.
pub(super) fn validate_filters(m: &MachineConfig, s: &mut Scope<'_>) {
    let Some(k) = enabled(m) else { return };
    let Some(filters) = &k.filters else { return };
    for cidr in &filters.endpoints {
        let cidr = cidr.strip_prefix('!').unwrap_or(cidr);
        if net::check_subnet_or_address(cidr).is_err() {
            s.error(
                "machine.network.kubespan.filters.endpoints",
                format!("{cidr:?} is not a subnet or address"),
            );
        }
    }
    for cidr in &filters.exclude_advertised_networks {
        if net::parse_prefix(cidr).is_err() {
            s.error(
                "machine.network.kubespan.filters.excludeAdvertisedNetworks",
                format!("{cidr:?} is not a network prefix"),
            );
        }
    }
}
