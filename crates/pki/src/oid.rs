//! Object identifiers used in Talos certificates, as arcs.

pub(crate) const ED25519: &[u64] = &[1, 3, 101, 112];
pub(crate) const EC_PUBLIC_KEY: &[u64] = &[1, 2, 840, 10045, 2, 1];
pub(crate) const PRIME256V1: &[u64] = &[1, 2, 840, 10045, 3, 1, 7];
pub(crate) const RSA_ENCRYPTION: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
pub(crate) const ECDSA_WITH_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
pub(crate) const ECDSA_WITH_SHA384: &[u64] = &[1, 2, 840, 10045, 4, 3, 3];
pub(crate) const SHA256_WITH_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 11];
pub(crate) const SHA384_WITH_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 12];
pub(crate) const SHA512_WITH_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 13];
pub(crate) const ORGANIZATION: &[u64] = &[2, 5, 4, 10];
pub(crate) const COMMON_NAME: &[u64] = &[2, 5, 4, 3];
pub(crate) const KEY_USAGE: &[u64] = &[2, 5, 29, 15];
pub(crate) const EXT_KEY_USAGE: &[u64] = &[2, 5, 29, 37];
pub(crate) const BASIC_CONSTRAINTS: &[u64] = &[2, 5, 29, 19];
pub(crate) const SUBJECT_KEY_ID: &[u64] = &[2, 5, 29, 14];
pub(crate) const AUTHORITY_KEY_ID: &[u64] = &[2, 5, 29, 35];
pub(crate) const SUBJECT_ALT_NAME: &[u64] = &[2, 5, 29, 17];
pub(crate) const SERVER_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 1];
pub(crate) const CLIENT_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 2];

/// The content bytes of an encoded OID, for comparing with parsed ones.
pub(crate) fn content(arcs: &[u64]) -> Vec<u8> {
    crate::der::oid(arcs).get(2..).unwrap_or_default().to_vec()
}

/// Dotted text of OID content bytes, for error messages.
pub(crate) fn dotted(content: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut acc: u64 = 0;
    for b in content {
        acc = (acc << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (acc / 40).min(2);
                arcs.push(first);
                arcs.push(acc - first * 40);
            } else {
                arcs.push(acc);
            }
            acc = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}
