//! URLs kept as text (`meta.URL` and the v1alpha1 `Endpoint`).

use std::borrow::Cow;
use std::fmt;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::pem::GoString;

/// A URL as written in a config document (`meta.URL`).
///
/// The text is checked on load against Go's `url.Parse` rules and kept as
/// Go re-prints the parsed URL: scheme lower-cased, path and fragment
/// re-escaped when they are not validly encoded (`/a b` becomes `/a%20b`),
/// the rest verbatim. An empty value stands for Go's nil URL and encodes
/// as `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Url(pub String);

impl Url {
    /// Wraps `text` after a loose syntax check.
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
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for InvalidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parse {:?}: {}", self.url, self.reason)
    }
}

impl std::error::Error for InvalidUrl {}

/// Checks `text` against the failures of Go's `url.Parse` that matter for
/// config files (control characters, bad `%` escapes, a missing scheme
/// before `:`, a colon in a scheme-less first segment, a non-numeric port)
/// and returns the text as Go re-prints it (see [`reprint`]).
pub(crate) fn check_url(text: &str) -> Result<String, InvalidUrl> {
    let fail = |reason| {
        Err(InvalidUrl {
            url: text.to_owned(),
            reason,
        })
    };
    if text.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return fail("net/url: invalid control character in URL");
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'%') {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return fail("invalid URL escape");
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    // Port of `getScheme`: letters first, then letters, digits, `+-.`, up to `:`.
    let mut scheme_len = None;
    for (i, c) in text.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return fail("missing protocol scheme"),
            ':' => {
                scheme_len = Some(i);
                break;
            }
            _ => break,
        }
    }
    let (scheme, rest) = match scheme_len {
        Some(n) => (text.get(..n).unwrap_or(""), text.get(n + 1..).unwrap_or("")),
        None => ("", text),
    };
    // Drop the fragment and query; they are kept verbatim.
    let before_query = rest.split(['#', '?']).next().unwrap_or("");
    if let Some(after) = before_query.strip_prefix("//") {
        let authority = after.split('/').next().unwrap_or("");
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let port = if let Some(bracketed) = host.strip_prefix('[') {
            match bracketed.split_once(']') {
                Some((_, port)) => port,
                None => return fail("missing ']' in host"),
            }
        } else {
            host.rfind(':').map_or("", |i| host.get(i..).unwrap_or(""))
        };
        let valid_port = port.is_empty()
            || (port.starts_with(':') && port.bytes().skip(1).all(|b| b.is_ascii_digit()));
        if !valid_port {
            return fail("invalid port after host");
        }
    } else if scheme.is_empty() && !before_query.starts_with('/') {
        let first = before_query.split('/').next().unwrap_or("");
        if first.contains(':') {
            return fail("first path segment in URL cannot contain colon");
        }
    }
    Ok(reprint(scheme_len.map(|_| scheme), rest))
}

/// Re-prints a parsed URL as Go's `URL.String` does: scheme lower-cased,
/// path and fragment through [`escaped`], the rest verbatim.
fn reprint(scheme: Option<&str>, rest: &str) -> String {
    let mut out = String::with_capacity(rest.len() + 8);
    if let Some(scheme) = scheme {
        out.push_str(&scheme.to_ascii_lowercase());
        out.push(':');
    }
    let (before_fragment, fragment) = match rest.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (rest, None),
    };
    let (before_query, query) = match before_fragment.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (before_fragment, None),
    };
    if scheme.is_some() && !before_query.starts_with('/') {
        // An opaque URL (`mailto:x`) is written back as it was.
        out.push_str(before_query);
    } else if let Some(after) = before_query.strip_prefix("//") {
        let (authority, path) = after.find('/').map_or((after, ""), |i| after.split_at(i));
        out.push_str("//");
        out.push_str(authority);
        out.push_str(&escaped(path, Part::Path));
    } else {
        out.push_str(&escaped(before_query, Part::Path));
    }
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    // Go drops an empty fragment together with its `#`.
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(&escaped(fragment, Part::Fragment));
    }
    out
}

/// The URL part being re-escaped (Go's `encodePath` / `encodeFragment`).
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Path,
    Fragment,
}

/// Port of `shouldEscape` for the path and fragment modes.
fn should_escape(c: u8, part: Part) -> bool {
    match c {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            part == Part::Path && c == b'?'
        }
        b'!' | b'(' | b')' | b'*' => part == Part::Path,
        _ => true,
    }
}

/// Go's `EscapedPath` / `EscapedFragment` from the raw text: kept as written
/// when it is validly encoded, else decoded and escaped afresh.
fn escaped(raw: &str, part: Part) -> Cow<'_, str> {
    // Port of `validEncoded`: sub-delims, `:@[]` and `%` may stay as they are.
    let valid = raw.bytes().all(|c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, part)
    });
    if valid {
        return Cow::Borrowed(raw);
    }
    // `check_url` has already rejected bad `%` escapes.
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (c, hex) {
            (b'%', Some(v)) => {
                decoded.push(v);
                i += 3;
            }
            _ => {
                decoded.push(c);
                i += 1;
            }
        }
    }
    let mut out = String::with_capacity(decoded.len() * 3);
    for c in decoded {
        if should_escape(c, part) {
            out.push_str(&format!("%{c:02X}"));
        } else {
            out.push(char::from(c));
        }
    }
    Cow::Owned(out)
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
        ] {
            assert!(Url::parse(text).is_err(), "{text}");
        }
    }
}
