use std::fmt;
use std::str::FromStr;

/// A Talos version contract: the major.minor release whose config shape and
/// defaults generation reproduces.
///
/// Only contracts talgen knows are representable: v1.0 through
/// [`Contract::LATEST`]. Ordering follows release order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Contract {
    minor: u8,
}

/// Why a version string is not a supported contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The text is not of the form `[v]MAJOR.MINOR[.PATCH][-PRE]`.
    #[error("invalid Talos version {input:?}: expected a version like v1.9 or 1.9.3")]
    Malformed {
        /// What the user wrote.
        input: String,
    },
    /// A release newer than any contract talgen knows.
    #[error(
        "Talos version {input:?} is newer than the newest contract talgen supports ({latest})"
    )]
    TooNew {
        /// What the user wrote.
        input: String,
        /// The newest supported contract.
        latest: Contract,
    },
    /// A release older than v1.0 (Talos 0.x contracts are not supported).
    #[error("Talos version {input:?} is older than the oldest contract talgen supports (v1.0)")]
    TooOld {
        /// What the user wrote.
        input: String,
    },
    /// [`Contract::from_talosctl_version`]'s malformed text, in talosctl's
    /// words (`error parsing version "v..."`).
    #[error("error parsing version {}", talgen_gourl::go_quote(version))]
    TalosctlMalformed {
        /// The text as talosctl names it: with one leading `v`.
        version: String,
    },
}

impl Contract {
    /// Talos v1.0.
    pub const V1_0: Self = Self { minor: 0 };
    /// Talos v1.1.
    pub const V1_1: Self = Self { minor: 1 };
    /// Talos v1.2.
    pub const V1_2: Self = Self { minor: 2 };
    /// Talos v1.3.
    pub const V1_3: Self = Self { minor: 3 };
    /// Talos v1.4.
    pub const V1_4: Self = Self { minor: 4 };
    /// Talos v1.5.
    pub const V1_5: Self = Self { minor: 5 };
    /// Talos v1.6.
    pub const V1_6: Self = Self { minor: 6 };
    /// Talos v1.7.
    pub const V1_7: Self = Self { minor: 7 };
    /// Talos v1.8.
    pub const V1_8: Self = Self { minor: 8 };
    /// Talos v1.9.
    pub const V1_9: Self = Self { minor: 9 };
    /// Talos v1.10.
    pub const V1_10: Self = Self { minor: 10 };
    /// Talos v1.11.
    pub const V1_11: Self = Self { minor: 11 };
    /// Talos v1.12.
    pub const V1_12: Self = Self { minor: 12 };
    /// Talos v1.13.
    pub const V1_13: Self = Self { minor: 13 };
    /// Talos v1.14.
    pub const V1_14: Self = Self { minor: 14 };
    /// Talos v1.15.
    pub const V1_15: Self = Self { minor: 15 };

    /// The newest contract talgen supports; also what "current" means
    /// (upstream's nil contract behaves as newer than every named one).
    pub const LATEST: Self = Self::V1_15;

    /// Every supported contract, oldest first.
    pub const ALL: [Self; 16] = [
        Self::V1_0,
        Self::V1_1,
        Self::V1_2,
        Self::V1_3,
        Self::V1_4,
        Self::V1_5,
        Self::V1_6,
        Self::V1_7,
        Self::V1_8,
        Self::V1_9,
        Self::V1_10,
        Self::V1_11,
        Self::V1_12,
        Self::V1_13,
        Self::V1_14,
        Self::V1_15,
    ];

    /// The contract for Talos `1.minor`, if supported.
    pub const fn from_minor(minor: u8) -> Option<Self> {
        if minor <= Self::LATEST.minor {
            Some(Self { minor })
        } else {
            None
        }
    }

    /// Major version (always 1).
    pub const fn major(self) -> u8 {
        1
    }

    /// Minor version.
    pub const fn minor(self) -> u8 {
        self.minor
    }

    /// True when this contract is `since` or newer: the gate every predicate
    /// uses, written as the first release that has the behaviour.
    pub(crate) const fn since(self, since: Self) -> bool {
        self.minor >= since.minor
    }
}

impl Default for Contract {
    fn default() -> Self {
        Self::LATEST
    }
}

impl fmt::Display for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.{}", self.major(), self.minor)
    }
}

/// Leading run of ASCII digits, parsed (saturating, so an absurdly long
/// number still reads as "too new"); `None` when there are no digits.
fn leading_number(s: &str) -> Option<(u64, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let (digits, rest) = s.split_at(end);
    Some((digits.parse().unwrap_or(u64::MAX), rest))
}

/// Major and minor of a release written `MAJOR.MINOR` followed by the end
/// or a dot (upstream's `^v(\d+)\.(\d+)($|\.)` once the `v` is gone):
/// patch and pre-release parts are not read.
fn release_numbers(s: &str) -> Option<(u64, u64)> {
    let (major, rest) = leading_number(s)?;
    let rest = rest.strip_prefix('.')?;
    let (minor, rest) = leading_number(rest)?;
    (rest.is_empty() || rest.starts_with('.')).then_some((major, minor))
}

impl Contract {
    /// The contract of release `major.minor`; `input` names it in errors.
    fn from_release(major: u64, minor: u64, input: &str) -> Result<Self, ParseError> {
        let too_new = || ParseError::TooNew {
            input: input.to_owned(),
            latest: Self::LATEST,
        };
        match major {
            0 => Err(ParseError::TooOld {
                input: input.to_owned(),
            }),
            1 => u8::try_from(minor)
                .ok()
                .and_then(Self::from_minor)
                .ok_or_else(too_new),
            _ => Err(too_new()),
        }
    }

    /// Reads a version as talosctl reads `--talos-version`
    /// (`config.ParseContractFromVersion`): an optional leading `v`, then
    /// `MAJOR.MINOR` followed by the end or a dot; nothing is trimmed.
    /// Malformed text fails with talosctl's message
    /// ([`ParseError::TalosctlMalformed`]); a release outside the known
    /// contracts with [`ParseError::TooNew`] or [`ParseError::TooOld`]
    /// naming the release as written after its `v` (talosctl would instead
    /// pick some other contract silently).
    ///
    /// ```
    /// use talgen_contract::Contract;
    ///
    /// assert_eq!(Contract::from_talosctl_version("v1.9.3"), Ok(Contract::V1_9));
    /// assert_eq!(
    ///     Contract::from_talosctl_version("1.9-rc").unwrap_err().to_string(),
    ///     r#"error parsing version "v1.9-rc""#,
    /// );
    /// ```
    pub fn from_talosctl_version(version: &str) -> Result<Self, ParseError> {
        let bare = version.strip_prefix('v').unwrap_or(version);
        let (major, minor) =
            release_numbers(bare).ok_or_else(|| ParseError::TalosctlMalformed {
                version: format!("v{bare}"),
            })?;
        Self::from_release(major, minor, bare)
    }
}

impl FromStr for Contract {
    type Err = ParseError;

    /// Accepts `v1.9`, `1.9`, `v1.9.3`, `v1.14.0-beta.1` (surrounding white
    /// space ignored): the grammar of [`Contract::from_talosctl_version`],
    /// only major and minor matter, and the minor must end the string or
    /// be followed by a dot. Malformed text is [`ParseError::Malformed`].
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let (major, minor) = release_numbers(s).ok_or_else(|| ParseError::Malformed {
            input: input.to_owned(),
        })?;
        Self::from_release(major, minor, input)
    }
}
