//! The three seed files and the `#include` user-data pointer.

use crate::error::{Error, Result};
use crate::metadata::MetaData;
use crate::netconfig::NetworkVersion;
use crate::network::NodeNetwork;
use crate::smbios::normalize_seed_url;

/// The seed file names, as Talos looks them up at the volume root or under
/// the seed URL.
pub const USER_DATA: &str = "user-data";
/// See [`USER_DATA`].
pub const META_DATA: &str = "meta-data";
/// See [`USER_DATA`].
pub const NETWORK_CONFIG: &str = "network-config";

/// The content of `user-data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserData {
    /// The machine configuration itself.
    Config(Vec<u8>),
    /// An `#include` pointer: Talos (v1.11+) fetches the machine
    /// configuration from this URL, so the seed carries no secrets.
    Include(String),
}

impl UserData {
    /// A pointer to `url`, which must be an absolute http(s) URL on one line.
    pub fn include(url: &str) -> Result<Self> {
        let bad = |reason: &str| Error::InvalidUrl {
            url: url.to_string(),
            reason: reason.to_string(),
        };
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("an include url is a single token on one line"));
        }
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(bad("an include url must be http:// or https://"));
        }
        Ok(Self::Include(url.to_string()))
    }

    /// The file bytes. For a pointer: `#include`, then the URL, each on its
    /// own line. An empty config, or one that starts with `#cloud-config` or
    /// `#include`, would be misread by Talos and is refused.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        match self {
            Self::Include(url) => Ok(format!("#include\n{url}\n").into_bytes()),
            Self::Config(bytes) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Err(Error::InvalidValue {
                        field: "user-data",
                        value: String::new(),
                        reason: "the machine config is empty; Talos would get no config".into(),
                    });
                }
                let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
                let first = String::from_utf8_lossy(first);
                if matches!(first.trim(), "#cloud-config" | "#include") {
                    return Err(Error::InvalidValue {
                        field: "user-data",
                        value: first.trim().to_string(),
                        reason: "Talos treats this first line specially; pass a machine config"
                            .into(),
                    });
                }
                Ok(bytes.clone())
            }
        }
    }

    /// Reads back what Talos would do with a user-data file: `None` for a
    /// `#cloud-config` (ignored), the URL for an `#include` (exactly one
    /// non-empty line after it), else the config bytes.
    pub fn parse(bytes: &[u8]) -> Result<Option<Self>> {
        let mut halves = bytes.splitn(2, |b| *b == b'\n');
        let first = halves.next().unwrap_or_default();
        let rest = halves.next().unwrap_or_default();
        match String::from_utf8_lossy(first).trim() {
            "#cloud-config" => Ok(None),
            "#include" => {
                let rest = String::from_utf8_lossy(rest);
                let lines: Vec<&str> = rest
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                match lines.as_slice() {
                    [url] => Ok(Some(Self::Include((*url).to_string()))),
                    _ => Err(Error::InvalidValue {
                        field: "user-data",
                        value: rest.to_string(),
                        reason: "an #include needs exactly one url".into(),
                    }),
                }
            }
            _ => Ok(Some(Self::Config(bytes.to_vec()))),
        }
    }
}

/// A complete NoCloud seed: the three files Talos reads. Serve or pack all
/// three: over HTTP Talos retries a missing `meta-data` or `network-config`
/// for up to three minutes each before going on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// `user-data`.
    pub user_data: UserData,
    /// `meta-data`.
    pub meta_data: MetaData,
    /// The network description `network-config` is written from.
    pub network: NodeNetwork,
    /// Which network-config version to write.
    pub network_version: NetworkVersion,
}

impl Seed {
    /// The files, in a fixed order, as (name, bytes).
    pub fn files(&self) -> Result<Vec<(&'static str, Vec<u8>)>> {
        Ok(vec![
            (META_DATA, self.meta_data.to_yaml()?.into_bytes()),
            (
                NETWORK_CONFIG,
                self.network
                    .to_network_config(self.network_version)?
                    .into_bytes(),
            ),
            (USER_DATA, self.user_data.to_bytes()?),
        ])
    }
}

impl Seed {
    /// The seed as a `cidata` ISO9660 + Joliet image.
    pub fn iso(&self, opts: &crate::IsoOptions) -> Result<Vec<u8>> {
        let files = self.files()?;
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, d)| (*n, d.as_slice())).collect();
        crate::build_iso(&refs, opts)
    }

    /// The seed as a `CIDATA` VFAT image.
    pub fn vfat(&self, opts: &crate::VfatOptions) -> Result<Vec<u8>> {
        let files = self.files()?;
        let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, d)| (*n, d.as_slice())).collect();
        crate::build_vfat(&refs, opts)
    }
}

/// A stable instance id derived from the seed inputs (FNV-1a over the
/// host name, user-data and network-config), so it changes exactly when the
/// seed does.
pub fn derive_instance_id(
    hostname: Option<&str>,
    user_data: &[u8],
    network_config: &[u8],
) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        hostname.unwrap_or("").as_bytes(),
        b"\0",
        user_data,
        b"\0",
        network_config,
    ] {
        for b in part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("iid-talgen-{h:016x}")
}

/// Normalises a seed base URL (see [`normalize_seed_url`]) and returns the
/// three file URLs Talos fetches from it.
pub fn seed_file_urls(base: &str) -> Result<[String; 3]> {
    let base = normalize_seed_url(base, None)?;
    Ok([META_DATA, NETWORK_CONFIG, USER_DATA].map(|f| format!("{base}{f}")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn include_pointer() {
        let u = UserData::include("https://seed.example.com/cp1.yaml").unwrap();
        let bytes = u.to_bytes().unwrap();
        assert_eq!(bytes, b"#include\nhttps://seed.example.com/cp1.yaml\n");
        assert_eq!(UserData::parse(&bytes).unwrap(), Some(u));
        assert!(UserData::include("ftp://x").is_err());
        assert!(UserData::include("http://x y").is_err());
        assert!(UserData::parse(b"#include\nhttp://a\nhttp://b\n").is_err());
        assert_eq!(UserData::parse(b"#cloud-config\nfoo: 1\n").unwrap(), None);
        assert!(UserData::Config(b"#cloud-config\n".to_vec())
            .to_bytes()
            .is_err());
    }

    // Upstream: a seed's user-data goes to configloader.NewFromBytes
    // (internal/app/machined/pkg/controllers/config/acquire.go,
    // loadFromPlatform), which fails on an empty document; over HTTP an
    // empty body means "no config" (platform/nocloud/metadata.go). Either
    // way the node does not get a config, so the writer refuses it.
    #[test]
    fn empty_user_data_is_refused() {
        assert!(UserData::Config(Vec::new()).to_bytes().is_err());
        assert!(UserData::Config(b" \n\t\n".to_vec()).to_bytes().is_err());
        assert!(UserData::Config(b"version: v1alpha1\n".to_vec())
            .to_bytes()
            .is_ok());
    }

    #[test]
    fn instance_ids_are_stable() {
        let a = derive_instance_id(Some("n1"), b"x", b"y");
        assert_eq!(a, derive_instance_id(Some("n1"), b"x", b"y"));
        assert_ne!(a, derive_instance_id(Some("n1"), b"x", b"z"));
        assert!(a.starts_with("iid-talgen-"));
    }
}
