//! PEM blocks as Go's `encoding/pem` reads and writes them.
//!
//! Talos stores every key and certificate as PEM, with its own labels for
//! private keys (see [`Label`]). Writing follows Go exactly: 64-column base64
//! lines and a final newline. Reading is as lenient as Go's decoder: text
//! before the first block is skipped, `Key: value` headers are skipped, and a
//! block whose body is not valid base64 is passed over in favour of a later
//! one.

use base64::Engine as _;

use crate::Error;

/// The PEM labels Talos writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Label {
    /// `CERTIFICATE`: an X.509 certificate in DER.
    Certificate,
    /// `ED25519 PRIVATE KEY`: an Ed25519 key in a PKCS#8 body (Talos's own label).
    Ed25519PrivateKey,
    /// `EC PRIVATE KEY`: an elliptic-curve key in SEC 1 form.
    EcPrivateKey,
    /// `RSA PRIVATE KEY`: an RSA key in PKCS#1 form.
    RsaPrivateKey,
    /// `PRIVATE KEY`: any key in a PKCS#8 body.
    PrivateKey,
}

impl Label {
    /// The text between `-----BEGIN ` and `-----`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Certificate => "CERTIFICATE",
            Self::Ed25519PrivateKey => "ED25519 PRIVATE KEY",
            Self::EcPrivateKey => "EC PRIVATE KEY",
            Self::RsaPrivateKey => "RSA PRIVATE KEY",
            Self::PrivateKey => "PRIVATE KEY",
        }
    }

    /// The label with this text, if Talos uses it.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Certificate,
            Self::Ed25519PrivateKey,
            Self::EcPrivateKey,
            Self::RsaPrivateKey,
            Self::PrivateKey,
        ]
        .into_iter()
        .find(|l| l.as_str() == name)
    }
}

/// One decoded PEM block: its label text and its binary body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The label, e.g. `CERTIFICATE`.
    pub label: String,
    /// The base64-decoded body.
    pub der: Vec<u8>,
}

/// Encodes `der` as a PEM block with `label`, byte for byte as Go's
/// `pem.EncodeToMemory` does.
pub fn encode(label: Label, der: &[u8]) -> Vec<u8> {
    encode_with_label(label.as_str(), der)
}

pub(crate) fn encode_with_label(label: &str, der: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out.into_bytes()
}

/// Decodes the first well-formed PEM block in `data`.
///
/// # Errors
/// [`Error::NoPemBlock`] when `data` holds no complete block.
pub fn decode(data: &[u8]) -> Result<Block, Error> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let mut start = 0;
    while let Some(pos) = find(data.get(start..).unwrap_or_default(), BEGIN) {
        let at = start + pos;
        let at_line_start = at == 0 || data.get(at - 1) == Some(&b'\n');
        if at_line_start {
            if let Some(block) = decode_at(data.get(at + BEGIN.len()..).unwrap_or_default()) {
                return Ok(block);
            }
        }
        start = at + BEGIN.len();
    }
    Err(Error::NoPemBlock)
}

/// Decodes the block whose `-----BEGIN ` was just consumed.
fn decode_at(rest: &[u8]) -> Option<Block> {
    let (type_line, mut body) = split_line(rest);
    let type_line = trim_trailing_space(type_line);
    let label = type_line.strip_suffix(b"-----")?;
    let label = std::str::from_utf8(label).ok()?.to_string();

    // Optional RFC 1421 headers, ended by a line without a colon.
    loop {
        let (line, after) = split_line(body);
        if line.is_empty() || !line.contains(&b':') {
            break;
        }
        body = after;
    }

    let end_marker = [b"-----END ", label.as_bytes(), b"-----"].concat();
    let end = if body.starts_with(&end_marker) {
        0
    } else {
        let mut nl_marker = vec![b'\n'];
        nl_marker.extend_from_slice(&end_marker);
        find(body, &nl_marker)? + 1
    };
    let b64_text: Vec<u8> = body
        .get(..end)?
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    // Go requires nothing but optional spaces and a newline after the END line.
    let after_end = body.get(end + end_marker.len()..)?;
    let (tail, _) = split_line(after_end);
    if !trim_trailing_space(tail).is_empty() {
        return None;
    }
    let der = lenient_base64().decode(&b64_text).ok()?;
    Some(Block { label, der })
}

/// Base64 as Go's `StdEncoding` accepts it: padding required, trailing bits
/// allowed to be non-zero.
pub(crate) fn lenient_base64() -> base64::engine::GeneralPurpose {
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|c| *c == b'\n') {
        Some(i) => {
            let line = data.get(..i).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            (line, data.get(i + 1..).unwrap_or_default())
        }
        None => (data, &[]),
    }
}

fn trim_trailing_space(mut s: &[u8]) -> &[u8] {
    while let Some((last, rest)) = s.split_last() {
        if *last == b' ' || *last == b'\t' || *last == b'\r' {
            s = rest;
        } else {
            break;
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn encode_wraps_at_64_columns() {
        let pem = encode(Label::Certificate, &[0u8; 60]);
        let text = String::from_utf8(pem).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "-----BEGIN CERTIFICATE-----");
        assert_eq!(lines[1].len(), 64);
        assert_eq!(lines[2].len(), 16);
        assert_eq!(lines[3], "-----END CERTIFICATE-----");
        assert!(text.ends_with("-----\n"));
    }

    #[test]
    fn decode_round_trips_and_skips_leading_text() {
        let der: Vec<u8> = (0..=255).collect();
        let mut input = b"junk before\n".to_vec();
        input.extend(encode(Label::EcPrivateKey, &der));
        let block = decode(&input).unwrap();
        assert_eq!(block.label, "EC PRIVATE KEY");
        assert_eq!(block.der, der);
    }

    #[test]
    fn decode_rejects_mismatched_end_and_garbage() {
        assert!(decode(b"-----BEGIN A-----\nAAAA\n-----END B-----\n").is_err());
        assert!(decode(b"-----BEGIN A-----\n!!!!\n-----END A-----\n").is_err());
        assert!(decode(b"no pem here").is_err());
        assert!(decode(b"").is_err());
    }

    #[test]
    fn decode_skips_headers() {
        let block = decode(b"-----BEGIN A-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END A-----\n")
            .unwrap();
        assert_eq!(block.der, vec![0, 0, 0]);
    }

    #[test]
    fn labels_have_talos_names() {
        assert_eq!(Label::Ed25519PrivateKey.as_str(), "ED25519 PRIVATE KEY");
        assert_eq!(
            Label::from_name("RSA PRIVATE KEY"),
            Some(Label::RsaPrivateKey)
        );
        assert_eq!(Label::from_name("PUBLIC KEY"), None);
    }
}
