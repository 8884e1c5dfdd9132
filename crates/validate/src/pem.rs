//! PEM block checks (upstream `meta.AssertValidPEM` and the presence checks
//! of `meta.CertificateAndKey.Validate`), without parsing the DER inside.

use base64::Engine as _;

/// The types of the well-formed PEM blocks in `text`, in order. Malformed
/// blocks are skipped, as Go's `pem.Decode` loop skips them.
pub(crate) fn block_types(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let Some(end_of_type) = after.find("-----") else {
            break;
        };
        let kind = &after[..end_of_type];
        let body_start = &after[end_of_type + 5..];
        let end_marker = format!("-----END {kind}-----");
        let Some(end) = body_start.find(&end_marker) else {
            rest = body_start;
            continue;
        };
        let body: String = body_start[..end]
            .lines()
            .filter(|l| !l.contains(':'))
            .collect::<Vec<_>>()
            .concat()
            .split_whitespace()
            .collect();
        if !kind.contains('\n')
            && base64::engine::general_purpose::STANDARD
                .decode(body.as_bytes())
                .is_ok()
        {
            out.push(kind.to_owned());
        }
        rest = &body_start[end + end_marker.len()..];
    }
    out
}

/// At least one PEM block, each of one of `types` when given.
pub(crate) fn check_pem(text: &str, types: &[&str]) -> Result<(), String> {
    let blocks = block_types(text);
    if blocks.is_empty() {
        return Err("no PEM block found".to_owned());
    }
    if let Some(bad) = blocks
        .iter()
        .find(|b| !types.is_empty() && !types.contains(&b.as_str()))
    {
        return Err(format!(
            "PEM block of type {bad:?} where {types:?} was expected"
        ));
    }
    Ok(())
}

/// A certificate and its key, both present and PEM-encoded.
pub(crate) fn check_cert_and_key(cert: &str, key: &str) -> Result<(), String> {
    if cert.is_empty() {
        return Err("the certificate is missing".to_owned());
    }
    if key.is_empty() {
        return Err("the key is missing".to_owned());
    }
    check_pem(cert, &["CERTIFICATE"]).map_err(|e| format!("certificate: {e}"))?;
    check_pem(key, &[]).map_err(|e| format!("key: {e}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(block_types(cert), vec!["CERTIFICATE"]);
        assert!(check_pem(cert, &["CERTIFICATE"]).is_ok());
        assert!(check_pem(cert, &["PRIVATE KEY"]).is_err());
        assert!(check_pem("garbage", &[]).is_err());
        assert!(check_pem("-----BEGIN X-----\n!!!\n-----END X-----", &[]).is_err());
    }
}
