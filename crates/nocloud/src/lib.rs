//! NoCloud provisioning artifacts for Talos: the `user-data`, `meta-data`
//! and `network-config` seed files, SMBIOS serials pointing at an HTTP seed,
//! and `cidata` ISO9660 / VFAT images, all written in pure Rust.
//!
//! It ports the reading side of Talos's NoCloud platform
//! (`internal/app/machined/pkg/runtime/v1alpha1/platform/nocloud/`) into
//! writers that only produce what that code reads back as intended. It does
//! not generate machine configurations (see `talgen-generate`), talk to
//! Proxmox, or serve seeds over HTTP.
//!
//! ```
//! use talgen_nocloud::{NetworkVersion, NodeNetwork, SmbiosSerial};
//!
//! let serial = SmbiosSerial::new("http://10.0.0.1/seeds/cp1", "cp1").unwrap();
//! assert_eq!(serial.serial(), "ds=nocloud-net;s=http://10.0.0.1/seeds/cp1/;h=cp1");
//!
//! let net = NodeNetwork::dhcp("eth0");
//! let text = net.to_network_config(NetworkVersion::V2).unwrap();
//! assert_eq!(NodeNetwork::from_network_config(&text).unwrap(), net);
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod error;
mod iso;
mod metadata;
mod names;
mod netconfig;
mod network;
mod seed;
mod smbios;
mod vfat;
mod yamlout;

pub use error::{Error, Result};
pub use iso::{build_iso, IsoOptions, CIDATA_ISO_LABEL, MIN_ISO_BYTES};
pub use metadata::MetaData;
pub use names::validate_hostname;
pub use netconfig::NetworkVersion;
pub use network::{
    Bond, Interface, InterfaceKind, IpPrefix, MacAddr, NodeNetwork, Route, SimpleNetwork,
    BOND_MODES, DEFAULT_INTERFACE, HASH_POLICIES, LACP_RATES,
};
pub use seed::{
    derive_instance_id, seed_file_urls, Seed, UserData, META_DATA, NETWORK_CONFIG, USER_DATA,
};
pub use smbios::{
    decode_serial, normalize_seed_url, parse_serial, uuid_from_qm_config, validate_uuid,
    ParsedSerial, SmbiosSerial, NOCLOUD_NET,
};
pub use vfat::{build_vfat, VfatOptions, CIDATA_VFAT_LABEL, MIN_VFAT_BYTES};

/// Entry points for fuzz targets; not a stable API.
#[doc(hidden)]
pub mod internal {
    /// Parses arbitrary bytes as an SMBIOS serial and checks invariants.
    pub fn fuzz_smbios(data: &[u8]) {
        if let Ok(s) = std::str::from_utf8(data) {
            let _ = crate::decode_serial(s);
            let p = crate::parse_serial(s);
            if let (Some(url), Some(h)) = (&p.url, &p.hostname) {
                if let Ok(serial) = crate::SmbiosSerial::new(url, h) {
                    let back = crate::parse_serial(&serial.serial());
                    assert!(back.uses_http_seed());
                    assert_eq!(back.hostname.as_deref(), Some(h.as_str()));
                }
            }
        }
    }

    /// Parses arbitrary bytes as network-config; whatever parses and
    /// validates must round-trip through both versions' writers.
    pub fn fuzz_network_config(data: &[u8]) {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        let Ok(net) = crate::NodeNetwork::from_network_config(s) else {
            return;
        };
        for v in [crate::NetworkVersion::V1, crate::NetworkVersion::V2] {
            if let Ok(text) = net.to_network_config(v) {
                let back = crate::NodeNetwork::from_network_config(&text);
                assert_eq!(back.as_ref().ok(), Some(&net.canonical()), "{text}");
            }
        }
    }

    /// Parses arbitrary bytes as meta-data; what parses and renders must
    /// parse back equal.
    pub fn fuzz_meta_data(data: &[u8]) {
        let Ok(s) = std::str::from_utf8(data) else {
            return;
        };
        let Ok(m) = crate::MetaData::parse(s) else {
            return;
        };
        if let Ok(text) = m.to_yaml() {
            assert_eq!(crate::MetaData::parse(&text).ok(), Some(m));
        }
    }
}
