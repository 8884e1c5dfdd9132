//! `NetworkDefaultActionConfig` and `NetworkRuleConfig`: the ingress firewall.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::types::net::Prefix;
use crate::types::{go_enum, go_enum_decode, Document};

go_enum! {
    /// What happens to traffic no rule matches (`nethelpers.DefaultAction`).
    DefaultAction {
        /// Let it through.
        Accept = "accept",
        /// Drop it.
        Block = "block",
    }
}

/// An IP protocol (`nethelpers.Protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Protocol {
    /// Go's zero value, number 0, which has no name: an absent `protocol`
    /// is written back the way enumer prints it. Talos cannot load that text
    /// again; talgen accepts it so that its own output always reloads.
    #[default]
    #[serde(rename = "Protocol(0)")]
    #[cfg_attr(feature = "schema", schemars(skip))]
    Unset,
    /// ICMP.
    #[serde(rename = "icmp")]
    Icmp,
    /// TCP.
    #[serde(rename = "tcp")]
    Tcp,
    /// UDP.
    #[serde(rename = "udp")]
    Udp,
    /// ICMPv6.
    #[serde(rename = "icmpv6")]
    Icmpv6,
}

impl Protocol {
    /// The names accepted on load, in the order of [`Protocol::LOADABLE`].
    const NAMES: &'static [&'static str] = &["icmp", "tcp", "udp", "icmpv6", "Protocol(0)"];
    /// The values a name can decode to.
    const LOADABLE: &'static [Protocol] = &[
        Protocol::Icmp,
        Protocol::Tcp,
        Protocol::Udp,
        Protocol::Icmpv6,
        Protocol::Unset,
    ];

    /// The text form Talos writes.
    pub fn as_str(&self) -> &'static str {
        match self {
            Protocol::Unset => "Protocol(0)",
            Protocol::Icmp => "icmp",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmpv6 => "icmpv6",
        }
    }
}

impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let index = go_enum_decode(deserializer, Protocol::NAMES)?;
        Protocol::LOADABLE
            .get(index)
            .copied()
            .ok_or_else(|| de::Error::unknown_variant("", Protocol::NAMES))
    }
}

/// The firewall's default ingress action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NetworkDefaultActionConfig {
    /// Action for unmatched ingress traffic (always written).
    pub ingress: DefaultAction,
}

impl Document for NetworkDefaultActionConfig {
    const KIND: &'static str = "NetworkDefaultActionConfig";
}

/// One ingress firewall rule: ports, protocol and allowed sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NetworkRuleConfig {
    /// The rule's name.
    pub name: String,
    /// Which ports and protocol it covers.
    #[serde(rename = "portSelector")]
    pub port_selector: RulePortSelector,
    /// Allowed source subnets.
    pub ingress: Vec<IngressRule>,
}

impl Document for NetworkRuleConfig {
    const KIND: &'static str = "NetworkRuleConfig";

    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

/// Ports and protocol a rule covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RulePortSelector {
    /// Ports or port ranges.
    pub ports: Vec<PortRange>,
    /// The protocol.
    pub protocol: Protocol,
}

/// An allowed source subnet, with an optional excluded part.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct IngressRule {
    /// Allowed subnet.
    pub subnet: Prefix,
    /// Excluded part of it.
    #[serde(skip_serializing_if = "Prefix::is_zero")]
    pub except: Prefix,
}

/// A port or an inclusive port range; one port encodes as a number, a
/// range as `lo-hi`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PortRange {
    /// First port.
    pub lo: u16,
    /// Last port.
    pub hi: u16,
}

impl Serialize for PortRange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.lo == self.hi {
            serializer.serialize_u16(self.lo)
        } else {
            serializer.collect_str(&format_args!("{}-{}", self.lo, self.hi))
        }
    }
}

impl<'de> Deserialize<'de> for PortRange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;

        impl de::Visitor<'_> for V {
            type Value = PortRange;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a port or a `lo-hi` port range")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PortRange, E> {
                let port = u16::try_from(v).map_err(|_| E::custom(format!("invalid port {v}")))?;
                Ok(PortRange { lo: port, hi: port })
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PortRange, E> {
                let port = u16::try_from(v).map_err(|_| E::custom(format!("invalid port {v}")))?;
                Ok(PortRange { lo: port, hi: port })
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<PortRange, E> {
                let bad = || E::custom(format!("invalid port range: {v:?}"));
                let (lo, hi) = v.split_once('-').ok_or_else(bad)?;
                let lo = lo.parse().map_err(|_| bad())?;
                let hi = hi.parse().map_err(|_| bad())?;
                Ok(PortRange { lo, hi })
            }
        }

        deserializer.deserialize_any(V)
    }
}
