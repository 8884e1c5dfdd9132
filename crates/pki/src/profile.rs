//! What goes into a certificate: subject, validity, usages, names. The
//! encoding rules follow Go's `crypto/x509.CreateCertificate`, the function
//! every Talos certificate comes from.

use std::net::IpAddr;
use std::ops::BitOr;
use std::time::{Duration, SystemTime};

use crate::der;
use crate::oid;

/// How long Talos's CAs are valid: 87600 hours (ten 365-day years).
pub const CA_VALIDITY: Duration = Duration::from_secs(87_600 * 3600);

/// Key usage bits, numbered as in RFC 5280 (and Go's `x509.KeyUsage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyUsage(u16);

impl KeyUsage {
    /// `digitalSignature`.
    pub const DIGITAL_SIGNATURE: Self = Self(1 << 0);
    /// `contentCommitment` (formerly nonRepudiation).
    pub const CONTENT_COMMITMENT: Self = Self(1 << 1);
    /// `keyEncipherment`.
    pub const KEY_ENCIPHERMENT: Self = Self(1 << 2);
    /// `dataEncipherment`.
    pub const DATA_ENCIPHERMENT: Self = Self(1 << 3);
    /// `keyAgreement`.
    pub const KEY_AGREEMENT: Self = Self(1 << 4);
    /// `keyCertSign`.
    pub const CERT_SIGN: Self = Self(1 << 5);
    /// `cRLSign`.
    pub const CRL_SIGN: Self = Self(1 << 6);

    /// No usage: the extension is left out.
    pub const fn empty() -> Self {
        Self(0)
    }

    /// Whether no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every bit of `other` is set here.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// The extension value: a BIT STRING with bit 0 first and trailing
    /// zero bits counted as unused, as Go encodes it.
    pub(crate) fn encode(self) -> Vec<u8> {
        let bytes = [
            (self.0 as u8).reverse_bits(),
            ((self.0 >> 8) as u8).reverse_bits(),
        ];
        let len = if bytes[1] != 0 { 2 } else { 1 };
        let used = bytes.get(..len).unwrap_or_default();
        let last = used.last().copied().unwrap_or(0);
        let unused = if last == 0 {
            0
        } else {
            last.trailing_zeros() as u8
        };
        let mut content = vec![unused];
        content.extend_from_slice(used);
        der::tlv(der::TAG_BIT_STRING, &content)
    }
}

impl BitOr for KeyUsage {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

/// Extended key usages Talos certificates carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExtKeyUsage {
    /// TLS server authentication.
    ServerAuth,
    /// TLS client authentication.
    ClientAuth,
}

impl ExtKeyUsage {
    fn oid(self) -> &'static [u64] {
        match self {
            Self::ServerAuth => oid::SERVER_AUTH,
            Self::ClientAuth => oid::CLIENT_AUTH,
        }
    }
}

/// The content of a certificate other than keys and serial: a builder with
/// the defaults of siderolabs/crypto (`NewDefaultOptions`): key usage
/// digital signature, extended key usages server and client auth.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use talgen_pki::{CertificateProfile, ExtKeyUsage, KeyUsage};
///
/// let now = SystemTime::now();
/// let admin = CertificateProfile::new(now, now + Duration::from_secs(3600))
///     .organizations(["os:admin"])
///     .key_usage(KeyUsage::DIGITAL_SIGNATURE)
///     .ext_key_usage([ExtKeyUsage::ClientAuth]);
/// assert!(!admin.is_ca);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertificateProfile {
    /// Subject common name; left out when empty.
    pub common_name: String,
    /// Subject organizations, all in one multi-valued name component.
    pub organizations: Vec<String>,
    /// Start of validity.
    pub not_before: SystemTime,
    /// End of validity.
    pub not_after: SystemTime,
    /// Key usage bits; the extension is left out when empty.
    pub key_usage: KeyUsage,
    /// Extended key usages; the extension is left out when empty.
    pub ext_key_usage: Vec<ExtKeyUsage>,
    /// Whether the certificate is a CA (adds basic constraints and a
    /// subject key identifier).
    pub is_ca: bool,
    /// DNS subject alternative names.
    pub dns_names: Vec<String>,
    /// IP subject alternative names.
    pub ip_addresses: Vec<IpAddr>,
}

impl CertificateProfile {
    /// A leaf profile valid from `not_before` to `not_after` with the
    /// siderolabs/crypto defaults.
    pub fn new(not_before: SystemTime, not_after: SystemTime) -> Self {
        Self {
            common_name: String::new(),
            organizations: Vec::new(),
            not_before,
            not_after,
            key_usage: KeyUsage::DIGITAL_SIGNATURE,
            ext_key_usage: vec![ExtKeyUsage::ServerAuth, ExtKeyUsage::ClientAuth],
            is_ca: false,
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
        }
    }

    /// The profile of Talos's self-signed CAs (`NewSelfSignedCertificateAuthority`):
    /// organization `organization` (none when empty), valid from `now` for
    /// [`CA_VALIDITY`], key usage cert sign + digital signature, extended
    /// key usages server and client auth, CA basic constraints.
    pub fn talos_ca(organization: &str, now: SystemTime) -> Self {
        let mut p = Self::new(now, now + CA_VALIDITY);
        if !organization.is_empty() {
            p.organizations = vec![organization.to_string()];
        }
        p.key_usage = KeyUsage::CERT_SIGN | KeyUsage::DIGITAL_SIGNATURE;
        p.is_ca = true;
        p
    }

    /// The profile of talosconfig client certificates
    /// (`NewAdminCertificateAndKey`): one organization per role, no common
    /// name, digital signature, client auth, valid from `now` for `ttl`.
    pub fn talos_admin<S: AsRef<str>>(roles: &[S], now: SystemTime, ttl: Duration) -> Self {
        Self::new(now, now + ttl)
            .organizations(roles.iter().map(AsRef::as_ref))
            .key_usage(KeyUsage::DIGITAL_SIGNATURE)
            .ext_key_usage([ExtKeyUsage::ClientAuth])
    }

    /// Sets the common name.
    pub fn common_name(mut self, cn: impl Into<String>) -> Self {
        self.common_name = cn.into();
        self
    }

    /// Sets the organizations.
    pub fn organizations<I, S>(mut self, orgs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.organizations = orgs.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the key usage bits.
    pub fn key_usage(mut self, ku: KeyUsage) -> Self {
        self.key_usage = ku;
        self
    }

    /// Sets the extended key usages.
    pub fn ext_key_usage(mut self, eku: impl IntoIterator<Item = ExtKeyUsage>) -> Self {
        self.ext_key_usage = eku.into_iter().collect();
        self
    }

    /// Sets the DNS alternative names.
    pub fn dns_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.dns_names = names.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the IP alternative names.
    pub fn ip_addresses(mut self, ips: impl IntoIterator<Item = IpAddr>) -> Self {
        self.ip_addresses = ips.into_iter().collect();
        self
    }

    /// The subject name in Go's component order (organization before common
    /// name), with all organizations in one RDN.
    pub(crate) fn subject(&self) -> Vec<u8> {
        let mut rdns = Vec::new();
        if !self.organizations.is_empty() {
            let atvs: Vec<Vec<u8>> = self
                .organizations
                .iter()
                .map(|o| attribute(oid::ORGANIZATION, o))
                .collect();
            rdns.push(der_set(atvs));
        }
        if !self.common_name.is_empty() {
            rdns.push(der_set(vec![attribute(
                oid::COMMON_NAME,
                &self.common_name,
            )]));
        }
        der::tlv(der::TAG_SEQUENCE, &rdns.concat())
    }

    /// Extensions in the order Go writes them: key usage, extended key
    /// usage, basic constraints, subject key id, authority key id, subject
    /// alternative names.
    pub(crate) fn extensions(
        &self,
        subject_key_id: Option<&[u8]>,
        authority_key_id: Option<&[u8]>,
        subject_is_empty: bool,
    ) -> Vec<Vec<u8>> {
        let mut exts = Vec::new();
        if !self.key_usage.is_empty() {
            exts.push(extension(oid::KEY_USAGE, true, &self.key_usage.encode()));
        }
        if !self.ext_key_usage.is_empty() {
            let oids: Vec<Vec<u8>> = self
                .ext_key_usage
                .iter()
                .map(|e| der::oid(e.oid()))
                .collect();
            exts.push(extension(
                oid::EXT_KEY_USAGE,
                false,
                &der::tlv(der::TAG_SEQUENCE, &oids.concat()),
            ));
        }
        if self.is_ca {
            let value = der::sequence(&[&der::tlv(der::TAG_BOOLEAN, &[0xff])]);
            exts.push(extension(oid::BASIC_CONSTRAINTS, true, &value));
        }
        if let Some(id) = subject_key_id {
            exts.push(extension(
                oid::SUBJECT_KEY_ID,
                false,
                &der::tlv(der::TAG_OCTET_STRING, id),
            ));
        }
        if let Some(id) = authority_key_id {
            exts.push(extension(
                oid::AUTHORITY_KEY_ID,
                false,
                &der::sequence(&[&der::tlv(0x80, id)]),
            ));
        }
        if !self.dns_names.is_empty() || !self.ip_addresses.is_empty() {
            let mut names = Vec::new();
            for dns in &self.dns_names {
                names.extend(der::tlv(0x82, dns.as_bytes()));
            }
            for ip in &self.ip_addresses {
                match ip {
                    IpAddr::V4(v4) => names.extend(der::tlv(0x87, &v4.octets())),
                    IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                        // Go stores IPv4-mapped addresses in their 4-byte form.
                        Some(v4) => names.extend(der::tlv(0x87, &v4.octets())),
                        None => names.extend(der::tlv(0x87, &v6.octets())),
                    },
                }
            }
            // RFC 5280: alternative names are critical when the subject is empty.
            exts.push(extension(
                oid::SUBJECT_ALT_NAME,
                subject_is_empty,
                &der::tlv(der::TAG_SEQUENCE, &names),
            ));
        }
        exts
    }
}

fn extension(arcs: &[u64], critical: bool, value: &[u8]) -> Vec<u8> {
    let mut parts = vec![der::oid(arcs)];
    if critical {
        parts.push(der::tlv(der::TAG_BOOLEAN, &[0xff]));
    }
    parts.push(der::tlv(der::TAG_OCTET_STRING, value));
    der::tlv(der::TAG_SEQUENCE, &parts.concat())
}

fn attribute(arcs: &[u64], value: &str) -> Vec<u8> {
    der::sequence(&[&der::oid(arcs), &directory_string(value)])
}

/// Go's `encoding/asn1` writes a string as PrintableString when every
/// character is printable (it rejects `*` and `&` here), else as
/// UTF8String.
pub(crate) fn directory_string(value: &str) -> Vec<u8> {
    let printable = value.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\'' | b'(' | b')' | b'+' | b',' | b'-' | b'.' | b'/' | b':' | b'=' | b'?'
            )
    });
    let tag = if printable {
        der::TAG_PRINTABLE_STRING
    } else {
        der::TAG_UTF8_STRING
    };
    der::tlv(tag, value.as_bytes())
}

/// A DER SET OF: members sorted by their encodings (X.690 11.6), as Go's
/// encoder sorts them.
fn der_set(mut members: Vec<Vec<u8>>) -> Vec<u8> {
    members.sort_by(|a, b| {
        let n = a.len().max(b.len());
        let pad = |v: &Vec<u8>| {
            let mut p = v.clone();
            p.resize(n, 0);
            p
        };
        pad(a).cmp(&pad(b))
    });
    der::tlv(der::TAG_SET, &members.concat())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_bits_match_go() {
        let ca = KeyUsage::CERT_SIGN | KeyUsage::DIGITAL_SIGNATURE;
        assert_eq!(ca.encode(), vec![3, 2, 2, 0x84]);
        assert_eq!(KeyUsage::DIGITAL_SIGNATURE.encode(), vec![3, 2, 7, 0x80]);
        let kube = KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT;
        assert_eq!(kube.encode(), vec![3, 2, 5, 0xa0]);
    }

    #[test]
    fn strings_pick_go_types() {
        assert_eq!(
            directory_string("system:masters")[0],
            der::TAG_PRINTABLE_STRING
        );
        assert_eq!(directory_string("a*b")[0], der::TAG_UTF8_STRING);
        assert_eq!(directory_string("a_b")[0], der::TAG_UTF8_STRING);
        assert_eq!(directory_string("é")[0], der::TAG_UTF8_STRING);
    }

    #[test]
    fn several_organizations_share_one_sorted_rdn() {
        let now = SystemTime::UNIX_EPOCH;
        let p = CertificateProfile::new(now, now).organizations(["os:reader", "os:admin"]);
        let subject = p.subject();
        // SEQUENCE { SET { ATV(os:admin), ATV(os:reader) } }
        let admin = attribute(oid::ORGANIZATION, "os:admin");
        let reader = attribute(oid::ORGANIZATION, "os:reader");
        let set = der::tlv(der::TAG_SET, &[admin, reader].concat());
        assert_eq!(subject, der::tlv(der::TAG_SEQUENCE, &set));
    }

    #[test]
    fn empty_subject_is_an_empty_sequence() {
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(
            CertificateProfile::talos_ca("", now).subject(),
            vec![0x30, 0]
        );
    }
}
