//! The crate's single error type.

/// Everything that can go wrong while building, parsing or writing NoCloud
/// artifacts. Each variant names the offending input so a caller can report
/// it without extra context.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A seed URL is not an absolute `http://` or `https://` URL Talos accepts.
    #[error("invalid seed url {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A host name is not a valid DNS name (RFC 1123 labels).
    #[error("invalid hostname {hostname:?}: {reason}")]
    InvalidHostname {
        /// The host name as given.
        hostname: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A free-form value (instance id, search domain...) contains characters
    /// that would break the format it is written into.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidValue {
        /// Which field.
        field: &'static str,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An SMBIOS serial could not be decoded or lacks a required key.
    #[error("invalid smbios serial: {reason}")]
    InvalidSerial {
        /// What is wrong with it.
        reason: String,
    },
    /// An IP address, prefix or MAC address did not parse.
    #[error("invalid {kind} {value:?} in {field}")]
    InvalidAddress {
        /// `ip address`, `ip prefix`, `mac address`...
        kind: &'static str,
        /// Where it was found (interface name or key).
        field: String,
        /// The text that failed to parse.
        value: String,
    },
    /// A node network description is inconsistent (duplicate names, dangling
    /// bond members or VLAN links, unsupported settings for a version...).
    #[error("invalid network description: interface {interface:?}: {reason}")]
    InvalidNetwork {
        /// The interface concerned (empty for global settings).
        interface: String,
        /// What is wrong.
        reason: String,
    },
    /// A network-config, meta-data or network description document is not
    /// valid YAML of the expected shape.
    #[error("cannot parse {document}: {reason}")]
    Parse {
        /// `network-config`, `meta-data`...
        document: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// A network-config declares a version other than 1 or 2.
    #[error("network-config version {version} is not supported (Talos reads 1 and 2)")]
    UnsupportedNetworkVersion {
        /// The declared version.
        version: i64,
    },
    /// A file does not fit into a cidata image (name or size limits).
    #[error("cannot write {file:?} into the {image} image: {reason}")]
    Image {
        /// `iso9660` or `vfat`.
        image: &'static str,
        /// The file name.
        file: String,
        /// What went wrong.
        reason: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
