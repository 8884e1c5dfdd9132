//! URLs kept as text (`meta.URL` and the v1alpha1 `Endpoint`).

use std::fmt;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use talgen_gourl::{go_quote, GoUrl};

use super::pem::GoString;

/// A URL as written in a config document (`meta.URL`).
///
/// The text is checked on load against Go's `url.Parse` rules and kept as
/// Go re-prints the parsed URL (scheme lower-cased, host, user, path and
/// fragment escaped as `URL.String` escapes them: `/a b` becomes `/a%20b`). An empty value stands for Go's nil URL and encodes
/// as `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Url(pub String);

impl Url {
    /// Parses `text` with Go's `url.Parse` rules and keeps it as Go prints it.
    ///
    /// # Errors
    /// When Go's `url.Parse` would reject the text (see [`InvalidUrl`]).
    pub fn parse(text: &str) -> Result<Self, InvalidUrl> {
        check_url(text).map(Url)
    }

    /// The URL text, empty when unset.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the URL is unset (Go's nil pointer inside the struct).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a URL was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUrl {
    /// The rejected text.
    pub url: String,
    /// What is wrong with it, in Go's words.
    pub reason: String,
}

impl fmt::Display for InvalidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parse {}: {}", go_quote(&self.url), self.reason)
    }
}

impl std::error::Error for InvalidUrl {}

/// Parses `text` as Go's `url.Parse` does and returns it as Go's
/// `URL.String` prints it back.
pub(crate) fn check_url(text: &str) -> Result<String, InvalidUrl> {
    GoUrl::parse(text)
        .map(|url| url.to_string())
        .map_err(|e| InvalidUrl {
            url: text.to_owned(),
            reason: e.to_string(),
        })
}

impl Serialize for Url {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Url {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = GoString::deserialize(deserializer)?.0;
        if text.is_empty() {
            return Ok(Url::default());
        }
        Url::parse(&text).map_err(de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_go_accepts_and_prints_it_back() {
        for (text, printed) in [
            ("https://base:6443", "https://base:6443"),
            ("HTTPS://Base:6443/x?a=b#f", "https://Base:6443/x?a=b#f"),
            ("https://[fd00::1]:6443", "https://[fd00::1]:6443"),
            ("tcp://user@host:", "tcp://user@host:"),
            ("/just/a/path", "/just/a/path"),
            (
                "http://h/a b/ü?q=a b#x y",
                "http://h/a%20b/%C3%BC?q=a b#x%20y",
            ),
            ("http://h/a%20b!(c)", "http://h/a%20b!(c)"),
            ("http://h/a b!", "http://h/a%20b%21"),
            ("http://h/p#", "http://h/p"),
            ("mailto:a b", "mailto:a b"),
            ("relative/path", "relative/path"),
            ("", ""),
        ] {
            assert_eq!(Url::parse(text).unwrap().as_str(), printed, "{text}");
        }
    }

    #[test]
    fn rejects_what_go_rejects() {
        for text in [
            "1.2.3.4:6443",
            ":6443",
            "https://host:port",
            "https://[::1",
            "https://host/%zz",
            "https://host/\n",
            // Go 1.26: the first colon outside brackets starts the port;
            // brackets hold IPv6 only.
            "https://a:1:2",
            "https://[10.0.0.1]:6443",
            "https://x[::1]:6443",
        ] {
            assert!(Url::parse(text).is_err(), "{text}");
        }
    }
}
