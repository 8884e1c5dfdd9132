//! `ResolverConfig`: DNS resolvers, search domains and the host DNS cache.

use serde::{Deserialize, Serialize};

use crate::types::net::Addr;
use crate::types::{go_enum, is_zero, Document};

go_enum! {
    /// DNS transport (`nethelpers.DNSProtocol`).
    DNSProtocol {
        /// Plain DNS over port 53.
        Do53 = "Do53",
        /// DNS over TLS.
        DoT = "DoT",
        /// DNS over HTTPS.
        DoH = "DoH",
    }
}

/// Resolver settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ResolverConfig {
    /// Nameservers, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<NameserverConfig>,
    /// Search domains.
    #[serde(rename = "searchDomains", skip_serializing_if = "is_zero")]
    pub search_domains: SearchDomainsConfig,
    /// Host DNS cache.
    #[serde(rename = "hostDNS", skip_serializing_if = "is_zero")]
    pub host_dns: HostDNSConfig,
}

impl Document for ResolverConfig {
    const KIND: &'static str = "ResolverConfig";
}

/// One nameserver.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NameserverConfig {
    /// Its address (always written).
    pub address: Addr,
    /// Transport; `Do53` is left out.
    #[serde(skip_serializing_if = "is_zero")]
    pub protocol: DNSProtocol,
    /// TLS server name for DoT/DoH.
    #[serde(rename = "tlsServerName", skip_serializing_if = "String::is_empty")]
    pub tls_server_name: String,
}

/// Search domain settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct SearchDomainsConfig {
    /// Domains.
    #[serde(rename = "domains", skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    /// Drop the default search domain.
    #[serde(rename = "disableDefault", skip_serializing_if = "Option::is_none")]
    pub disable_default: Option<bool>,
}

/// Host DNS cache settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct HostDNSConfig {
    /// Enables the host DNS cache.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Forward cluster DNS queries to the host cache.
    #[serde(
        rename = "forwardKubeDNSToHost",
        skip_serializing_if = "Option::is_none"
    )]
    pub forward_kube_dns_to_host: Option<bool>,
    /// Resolve cluster member names.
    #[serde(rename = "resolveMemberNames", skip_serializing_if = "Option::is_none")]
    pub resolve_member_names: Option<bool>,
}
