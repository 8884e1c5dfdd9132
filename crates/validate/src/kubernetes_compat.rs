//! Which Kubernetes versions each Talos release runs (upstream
//! `pkg/machinery/compatibility`), and reading the version out of an image
//! reference.

use std::cmp::Ordering;
use std::fmt;

use talgen_contract::Contract;

/// A Kubernetes version as semver reads it tolerantly (`v1.32`, `1.32.3`,
/// `1.37.0-rc.1`): only major, minor and patch take part in comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubernetesVersion {
    /// Major number.
    pub major: u64,
    /// Minor number.
    pub minor: u64,
    /// Patch number.
    pub patch: u64,
    /// Pre-release and build suffix as written (`-rc.1`), possibly empty.
    pub suffix: String,
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}{}",
            self.major, self.minor, self.patch, self.suffix
        )
    }
}

impl KubernetesVersion {
    /// Parses like blang/semver's `ParseTolerant`: surrounding spaces and a
    /// leading `v` are dropped, leading zeros are tolerated and a missing
    /// minor or patch counts as 0.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        let parts: Vec<&str> = text.splitn(3, '.').collect();
        let (major, minor, patch) = match parts.as_slice() {
            [major, minor, patch] => (*major, *minor, *patch),
            short => {
                if short.last().is_some_and(|p| p.contains(['+', '-'])) {
                    return Err(format!("short version {text:?} cannot carry a suffix"));
                }
                let part = |n: usize| short.get(n).copied().unwrap_or("0");
                (part(0), part(1), "0")
            }
        };
        let (patch_text, suffix) = patch
            .find(['-', '+'])
            .and_then(|i| patch.split_at_checked(i))
            .unwrap_or((patch, ""));
        let number = |s: &str, what: &str| -> Result<u64, String> {
            let trimmed = s.trim_start_matches('0');
            let digits = if trimmed.is_empty() && !s.is_empty() {
                "0"
            } else {
                trimmed
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("invalid {what} number {s:?} in version {text:?}"));
            }
            digits
                .parse()
                .map_err(|_| format!("{what} number {s:?} is out of range"))
        };
        if !suffix_is_valid(suffix) {
            return Err(format!("invalid pre-release or build suffix {suffix:?}"));
        }
        Ok(KubernetesVersion {
            major: number(major, "major")?,
            minor: number(minor, "minor")?,
            patch: number(patch_text, "patch")?,
            suffix: suffix.to_owned(),
        })
    }

    /// Reads the version from an image reference's tag: the text after the
    /// last `:v`, up to an `@sha256:` digest.
    pub fn from_image(image: &str) -> Result<Self, String> {
        let (_, tag) = image
            .rsplit_once(":v")
            .ok_or_else(|| format!("image reference {image:?} has no version tag"))?;
        let tag = tag.split_once('@').map_or(tag, |(t, _)| t);
        Self::parse(tag).map_err(|e| format!("image reference {image:?}: {e}"))
    }

    fn core(&self) -> (u64, u64, u64) {
        (self.major, self.minor, self.patch)
    }

    /// Checks the version against the window of a Talos release: below the
    /// minimum or at/above the maximum is an error.
    pub fn supported_with(&self, release: Contract) -> Result<(), String> {
        let Some((min, max)) = kubernetes_window(release) else {
            return Err(format!(
                "no kubernetes compatibility data for talos {release}"
            ));
        };
        if self.core().cmp(&min) == Ordering::Less {
            return Err(format!(
                "kubernetes {self} is older than talos {release} supports"
            ));
        }
        if self.core().cmp(&max) != Ordering::Less {
            return Err(format!(
                "kubernetes {self} is newer than talos {release} supports"
            ));
        }
        Ok(())
    }
}

/// A pre-release / build suffix is dot-separated non-empty identifiers of
/// `[0-9A-Za-z-]`.
fn suffix_is_valid(suffix: &str) -> bool {
    if suffix.is_empty() {
        return true;
    }
    let (pre, build) = match suffix.strip_prefix('-') {
        Some(rest) => match rest.split_once('+') {
            Some((p, b)) => (Some(p), Some(b)),
            None => (Some(rest), None),
        },
        None => (None, suffix.strip_prefix('+')),
    };
    let ident_list = |s: &str| {
        s.split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    // A numeric pre-release identifier takes no leading zero (`rc.01`).
    let numeric_ok = |s: &str| {
        s.split('.').all(|id| {
            !(id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    pre.is_none_or(|p| ident_list(p) && numeric_ok(p)) && build.is_none_or(ident_list)
}

/// A version's major, minor and patch numbers.
pub type VersionCore = (u64, u64, u64);

/// The Kubernetes versions a Talos release supports, as `(minimum,
/// maximum)` major/minor/patch triples: a version is supported when it is at
/// least the minimum and below the maximum. `None` for releases without
/// data (before v1.2).
pub fn kubernetes_window(release: Contract) -> Option<(VersionCore, VersionCore)> {
    // Data from pkg/machinery/compatibility/talos1*/talos1*.go.
    let (min, max) = match release.minor() {
        2 => (23, 25),
        3 => (24, 26),
        4 => (25, 27),
        5 => (26, 28),
        6 => (24, 29),
        7 => (25, 30),
        8 => (26, 31),
        9 => (27, 32),
        10 => (28, 33),
        11 => (29, 34),
        12 => (30, 35),
        13 => (31, 36),
        14 => (32, 37),
        15 => (33, 38),
        _ => return None,
    };
    Some(((1, min, 0), (1, max, 99)))
}

/// Checks the Kubernetes version of an image against a Talos release.
pub(crate) fn check_image(image: &str, release: Contract) -> Result<(), String> {
    KubernetesVersion::from_image(image)?.supported_with(release)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_tolerantly() {
        let v = KubernetesVersion::parse("v1.37.0-rc.1").unwrap();
        assert_eq!((v.major, v.minor, v.patch), (1, 37, 0));
        assert_eq!(v.to_string(), "1.37.0-rc.1");
        assert_eq!(KubernetesVersion::parse("1.32").unwrap().patch, 0);
        assert_eq!(KubernetesVersion::parse("v1.032.1").unwrap().minor, 32);
        assert!(KubernetesVersion::parse("1.3x.0").is_err());
        assert!(KubernetesVersion::parse("1.32-rc").is_err());
        assert!(KubernetesVersion::parse("1.36.0-rc.01").is_err());
        assert!(KubernetesVersion::parse("1.36.0-rc.0").is_ok());
        assert!(KubernetesVersion::parse("1.36.0-rc.0a1").is_ok());
        assert!(KubernetesVersion::parse("1.36.0+build.01").is_ok());
        assert!(KubernetesVersion::parse("").is_err());
    }

    #[test]
    fn image_tags() {
        let v = KubernetesVersion::from_image("ghcr.io/siderolabs/kubelet:v1.36.0").unwrap();
        assert_eq!(v.minor, 36);
        let v = KubernetesVersion::from_image("reg:5000/kubelet:v1.33.2@sha256:abc").unwrap();
        assert_eq!(v.patch, 2);
        assert!(KubernetesVersion::from_image("kubelet:latest").is_err());
    }

    // Upstream TestKubernetesCompatibility114 boundaries.
    #[test]
    fn windows_for_1_14() {
        let ok = |v: &str| {
            KubernetesVersion::parse(v)
                .unwrap()
                .supported_with(Contract::V1_14)
        };
        assert!(ok("1.31.9").is_err());
        assert!(ok("1.32.0").is_ok());
        assert!(ok("1.37.99").is_err());
        assert!(ok("1.37.98").is_ok());
        assert!(ok("1.37.0-rc.1").is_ok());
        assert!(KubernetesVersion::parse("1.30.0")
            .unwrap()
            .supported_with(Contract::V1_1)
            .is_err());
    }
}
