//! PEM and X.509 checks: upstream `meta.AssertValidPEM`,
//! `meta.CertificateAndKey.Validate` (with and without loading the pair),
//! `x509.CertPool.AppendCertsFromPEM` and the key loading of
//! `siderolabs/crypto`'s `PEMEncodedKey.GetKey`. DER parsing is
//! `talgen-pki`'s.

use base64::Engine as _;
use talgen_pki::{Certificate, PrivateKey};

/// One well-formed PEM block: its type and decoded body.
pub(crate) struct Block {
    /// The label after `BEGIN`.
    pub(crate) kind: String,
    /// The base64-decoded body.
    pub(crate) der: Vec<u8>,
}

/// The well-formed PEM blocks in `text`, in order. Malformed blocks are
/// skipped, as Go's `pem.Decode` loop skips them.
pub(crate) fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some((_, after)) = rest.split_once("-----BEGIN ") {
        let Some((kind, body_start)) = after.split_once("-----") else {
            break;
        };
        let end_marker = format!("-----END {kind}-----");
        let Some((body, tail)) = body_start.split_once(end_marker.as_str()) else {
            rest = body_start;
            continue;
        };
        // Header lines (`Key: value`) are not part of the body.
        let body: String = body
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(str::split_whitespace)
            .collect();
        if !kind.contains('\n') {
            if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
                out.push(Block {
                    kind: kind.to_owned(),
                    der,
                });
            }
        }
        rest = tail;
    }
    out
}

/// At least one PEM block, each of one of `types` when given.
pub(crate) fn check_pem(text: &str, types: &[&str]) -> Result<(), String> {
    let blocks = blocks(text);
    if blocks.is_empty() {
        return Err("no PEM block found".to_owned());
    }
    if let Some(bad) = blocks
        .iter()
        .find(|b| !types.is_empty() && !types.contains(&b.kind.as_str()))
    {
        return Err(format!(
            "PEM block of type {:?} where {types:?} was expected",
            bad.kind
        ));
    }
    Ok(())
}

/// Whether at least one `CERTIFICATE` block of `text` holds a parsable
/// X.509 certificate (Go's `AppendCertsFromPEM` returning true).
pub(crate) fn has_certificate(text: &str) -> bool {
    blocks(text)
        .iter()
        .any(|b| b.kind == "CERTIFICATE" && Certificate::from_der(&b.der).is_ok())
}

/// Loads a PEM private key as Talos does, reporting why it fails.
pub(crate) fn check_private_key(text: &str) -> Result<(), String> {
    PrivateKey::from_pem(text.as_bytes())
        .map(drop)
        .map_err(|e| e.to_string())
}

/// A certificate and its key, both present and PEM-encoded; with `load`,
/// the certificate must also parse as X.509 and the key as a private key.
pub(crate) fn check_cert_and_key(cert: &str, key: &str, load: bool) -> Result<(), String> {
    if cert.is_empty() {
        return Err("the certificate is missing".to_owned());
    }
    if key.is_empty() {
        return Err("the key is missing".to_owned());
    }
    check_pem(cert, &["CERTIFICATE"]).map_err(|e| format!("certificate: {e}"))?;
    check_pem(key, &[]).map_err(|e| format!("key: {e}"))?;
    if load {
        Certificate::from_pem(cert.as_bytes())
            .map_err(|e| format!("the certificate does not parse: {e}"))?;
        check_private_key(key).map_err(|e| format!("the key does not load: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn pem_framing() {
        let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(blocks(cert)[0].kind, "CERTIFICATE");
        assert!(check_pem(cert, &["CERTIFICATE"]).is_ok());
        assert!(check_pem(cert, &["PRIVATE KEY"]).is_err());
        assert!(check_pem("garbage", &[]).is_err());
        assert!(check_pem("-----BEGIN X-----\n!!!\n-----END X-----", &[]).is_err());
    }

    #[test]
    fn framing_alone_is_not_a_certificate() {
        let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(!has_certificate(cert));
        let key = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
        assert!(check_cert_and_key(cert, key, false).is_ok());
        assert!(check_cert_and_key(cert, key, true).is_err());
        assert!(check_private_key(key).is_err());
    }
}
