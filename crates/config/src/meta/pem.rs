//! PEM blobs as Talos writes them: base64 of the PEM text under `crt`/`key`
//! (siderolabs/crypto `x509.PEMEncoded*`), or raw PEM under `cert`/`key`
//! (`meta.CertificateAndKey`).

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The placeholder Talos writes instead of a private key when redacting.
pub const REDACTED: &str = "******";

/// Bytes written as one standard base64 string (padded), like Go's
/// `Base64Bytes` and the `crt`/`key` strings of the PEM types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64Bytes(pub Vec<u8>);

impl Base64Bytes {
    /// Whether there are no bytes (Go's `omitempty` test for a byte slice).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for Base64Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Bytes(bytes)
    }
}

impl From<&[u8]> for Base64Bytes {
    fn from(bytes: &[u8]) -> Self {
        Base64Bytes(bytes.to_vec())
    }
}

impl Serialize for Base64Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = GoString::deserialize(deserializer)?.0;
        decode_base64(&text)
            .map(Base64Bytes)
            .map_err(de::Error::custom)
    }
}

/// Decodes standard padded base64 the way Go's `base64.StdEncoding` does,
/// which skips carriage returns and newlines.
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let cleaned: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| format!("illegal base64 data: {e}"))
}

/// A string field decoded from any YAML scalar, as Go decodes a scalar of any
/// type into a `string` (`5` becomes `"5"`, `null` becomes `""`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GoString(pub(crate) String);

impl<'de> Deserialize<'de> for GoString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = GoString;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<GoString, E> {
                Ok(GoString(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<GoString, E> {
                Ok(GoString(v))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<GoString, E> {
                Ok(GoString(v.to_string()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<GoString, E> {
                Ok(GoString(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<GoString, E> {
                Ok(GoString(v.to_string()))
            }

            fn visit_unit<E: de::Error>(self) -> Result<GoString, E> {
                Ok(GoString(String::new()))
            }

            fn visit_none<E: de::Error>(self) -> Result<GoString, E> {
                Ok(GoString(String::new()))
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<GoString, D::Error> {
                GoString::deserialize(d)
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

/// Encodes `key` for the `key:` field, keeping the redaction marker as is.
fn encode_key(key: &[u8]) -> String {
    if key == REDACTED.as_bytes() {
        REDACTED.to_owned()
    } else {
        STANDARD.encode(key)
    }
}

/// Decodes the `key:` field, keeping the redaction marker as is.
fn decode_key(text: &str) -> Result<Vec<u8>, String> {
    if text == REDACTED {
        Ok(REDACTED.as_bytes().to_vec())
    } else {
        decode_base64(text)
    }
}

/// A certificate and its private key, both PEM text, written base64-encoded
/// as `crt:` and `key:` (siderolabs/crypto `x509.PEMEncodedCertificateAndKey`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PemEncodedCertificateAndKey {
    /// The certificate in PEM form.
    pub crt: Vec<u8>,
    /// The private key in PEM form (or [`REDACTED`]).
    pub key: Vec<u8>,
}

/// The on-disk shape shared by the certificate-and-key decoders.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrtKeyText {
    #[serde(default)]
    crt: GoString,
    #[serde(default)]
    key: GoString,
}

impl Serialize for PemEncodedCertificateAndKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut s = serializer.serialize_struct("PEMEncodedCertificateAndKey", 2)?;
        s.serialize_field("crt", &STANDARD.encode(&self.crt))?;
        s.serialize_field("key", &encode_key(&self.key))?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for PemEncodedCertificateAndKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = CrtKeyText::deserialize(deserializer)?;
        Ok(PemEncodedCertificateAndKey {
            crt: decode_base64(&text.crt.0).map_err(de::Error::custom)?,
            key: decode_key(&text.key.0).map_err(de::Error::custom)?,
        })
    }
}

/// A certificate alone, PEM text written base64-encoded as `crt:`
/// (siderolabs/crypto `x509.PEMEncodedCertificate`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PemEncodedCertificate {
    /// The certificate in PEM form.
    pub crt: Vec<u8>,
}

/// The on-disk shape of a lone certificate.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrtText {
    #[serde(default)]
    crt: GoString,
}

impl Serialize for PemEncodedCertificate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut s = serializer.serialize_struct("PEMEncodedCertificate", 1)?;
        s.serialize_field("crt", &STANDARD.encode(&self.crt))?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for PemEncodedCertificate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = CrtText::deserialize(deserializer)?;
        Ok(PemEncodedCertificate {
            crt: decode_base64(&text.crt.0).map_err(de::Error::custom)?,
        })
    }
}

/// A private key alone, PEM text written base64-encoded as `key:`
/// (siderolabs/crypto `x509.PEMEncodedKey`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PemEncodedKey {
    /// The private key in PEM form (or [`REDACTED`]).
    pub key: Vec<u8>,
}

/// The on-disk shape of a lone key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyText {
    #[serde(default)]
    key: GoString,
}

impl Serialize for PemEncodedKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut s = serializer.serialize_struct("PEMEncodedKey", 1)?;
        s.serialize_field("key", &encode_key(&self.key))?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for PemEncodedKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = KeyText::deserialize(deserializer)?;
        Ok(PemEncodedKey {
            key: decode_key(&text.key.0).map_err(de::Error::custom)?,
        })
    }
}

/// A certificate and key as raw PEM text under `cert:` and `key:`
/// (`meta.CertificateAndKey`, used by the newer document kinds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CertificateAndKey {
    /// The certificate in PEM form; left out when empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cert: String,
    /// The private key in PEM form; left out when empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub key: String,
}
