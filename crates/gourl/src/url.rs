//! Go's `net/url`: parsing the way `url.Parse` does (same accept/reject
//! decisions, Go 1.26 rules) and printing back the way `(*url.URL).String`
//! does, so URLs written into configs round-trip exactly as Talos writes
//! them.

use std::fmt;

use crate::quote::go_quote;

/// Why Go's `url.Parse` would reject a string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UrlError {
    /// An ASCII control character (below 0x20, or DEL) appears in the URL.
    #[error("net/url: invalid control character in URL")]
    ControlCharacter,
    /// The string starts with `:`.
    #[error("missing protocol scheme")]
    MissingScheme,
    /// A scheme-less relative URL whose first segment has a colon.
    #[error("first path segment in URL cannot contain colon")]
    ColonInFirstSegment,
    /// An IPv6 literal host lacks its closing bracket.
    #[error("missing ']' in host")]
    MissingBracket,
    /// The text after the host's colon is not a number (Go 1.26 is strict:
    /// outside IPv6 brackets, the first colon starts the port).
    #[error("invalid port {} after host", go_quote(.port))]
    InvalidPort {
        /// The offending `:port` text.
        port: String,
    },
    /// The host holds a character a host name may not contain.
    #[error("invalid character {} in host name", go_quote(&.ch.to_string()))]
    InvalidHostCharacter {
        /// The offending character.
        ch: char,
    },
    /// A `[` appears in the host other than at its start, or the brackets
    /// hold an IPv4 address.
    #[error("invalid IP-literal")]
    InvalidIpLiteral,
    /// The text inside a host's brackets is not an IP address.
    #[error("invalid host: {reason}")]
    InvalidIpv6 {
        /// Go's `netip.ParseAddr` message for the bracketed text.
        reason: String,
    },
    /// The user info before `@` holds a character it may not.
    #[error("net/url: invalid userinfo")]
    InvalidUserinfo,
    /// [`GoUrl::parse_request_uri`] was given an empty text.
    #[error("empty url")]
    EmptyUrl,
    /// [`GoUrl::parse_request_uri`] was given neither an absolute URL nor
    /// an absolute path (`host:80`, `a/b`).
    #[error("invalid URI for request")]
    InvalidRequestUri,
    /// A `%` is not followed by two hex digits.
    #[error("invalid URL escape {}", go_quote(.escape))]
    InvalidEscape {
        /// The offending escape sequence.
        escape: String,
    },
}

/// A URL split the way Go's `net/url.URL` splits it (raw, unescaped path kept
/// as written since generation never rewrites it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoUrl {
    /// Lower-cased scheme, empty when absent.
    pub scheme: String,
    /// Opaque part of `scheme:opaque` URLs.
    pub opaque: String,
    /// Raw user info (before `@`), when present.
    pub user: Option<String>,
    /// Host, with `:port` when given, `%XX` escapes decoded (as Go stores
    /// it; bytes that are not UTF-8 are replaced).
    pub host: String,
    /// The URL had a scheme and a path but no `//` authority (`https:/p`),
    /// so no empty host is printed back.
    pub omit_host: bool,
    /// Path as written (escaped form).
    pub path: String,
    /// Query after `?`, without it.
    pub raw_query: String,
    /// A lone trailing `?` was present.
    pub force_query: bool,
    /// Fragment after `#`, as written.
    pub fragment: String,
}

impl GoUrl {
    /// Parses `raw` accepting and rejecting exactly what Go's `url.Parse` does.
    pub fn parse(raw: &str) -> Result<Self, UrlError> {
        let (rest, fragment) = match raw.split_once('#') {
            Some((u, f)) => (u, f),
            None => (raw, ""),
        };
        let mut url = Self::parse_no_fragment(rest, false)?;
        check_escapes(fragment)?;
        url.fragment = fragment.to_owned();
        Ok(url)
    }

    /// Parses `raw` as Go's `url.ParseRequestURI` does: the text an HTTP
    /// request line carries, so there is no fragment (a `#` stays in the
    /// path), and only an absolute URL (`scheme:...`) or an absolute path
    /// (`/p`, which keeps a leading `//host` as path) is accepted.
    ///
    /// ```
    /// use talgen_gourl::{GoUrl, UrlError};
    ///
    /// let url = GoUrl::parse_request_uri("https://h/a#b").unwrap();
    /// assert_eq!(url.path, "/a#b");
    /// assert_eq!(GoUrl::parse_request_uri("h:80/x").unwrap().opaque, "80/x");
    /// assert_eq!(GoUrl::parse_request_uri("a/b"), Err(UrlError::InvalidRequestUri));
    /// ```
    pub fn parse_request_uri(raw: &str) -> Result<Self, UrlError> {
        Self::parse_no_fragment(raw, true)
    }

    /// Go's `parse`; `via_request` is its flag of the same meaning.
    fn parse_no_fragment(raw: &str, via_request: bool) -> Result<Self, UrlError> {
        if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(UrlError::ControlCharacter);
        }
        if raw.is_empty() && via_request {
            return Err(UrlError::EmptyUrl);
        }
        let mut url = Self::default();
        if raw == "*" {
            url.path = "*".to_owned();
            return Ok(url);
        }
        let (scheme, mut rest) = split_scheme(raw)?;
        url.scheme = scheme.to_ascii_lowercase();
        if let Some(r) = rest.strip_suffix('?').filter(|r| !r.contains('?')) {
            url.force_query = true;
            rest = r;
        } else if let Some((r, q)) = rest.split_once('?') {
            url.raw_query = q.to_owned();
            rest = r;
        }
        if !rest.starts_with('/') {
            if !url.scheme.is_empty() {
                url.opaque = rest.to_owned();
                return Ok(url);
            }
            if via_request {
                return Err(UrlError::InvalidRequestUri);
            }
            let segment = rest.split('/').next().unwrap_or("");
            if segment.contains(':') {
                return Err(UrlError::ColonInFirstSegment);
            }
        }
        // A request URI without a scheme is a path, even one starting `//`.
        let authority_rest = rest
            .strip_prefix("//")
            .filter(|_| !url.scheme.is_empty() || (!via_request && !rest.starts_with("///")));
        if let Some(after) = authority_rest {
            let (authority, path) = match after.find('/') {
                Some(i) => after.split_at(i),
                None => (after, ""),
            };
            // Go parses the host before it looks at the user info.
            let (user, host_part) = match authority.rsplit_once('@') {
                Some((user, host)) => (Some(user), host),
                None => (None, authority),
            };
            url.host = parse_host(host_part)?;
            if let Some(user) = user {
                if !valid_userinfo(user) {
                    return Err(UrlError::InvalidUserinfo);
                }
                check_escapes(user)?;
                url.user = Some(user.to_owned());
            }
            rest = path;
        } else if !url.scheme.is_empty() && rest.starts_with('/') {
            url.omit_host = true;
        }
        check_escapes(rest)?;
        url.path = rest.to_owned();
        Ok(url)
    }

    /// Host without port and without IPv6 brackets (Go's `Hostname`).
    pub fn hostname(&self) -> &str {
        let (host, _) = split_host_port(&self.host);
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
    }

    /// The path with its `%XX` escapes decoded, as Go stores `Path` (bytes
    /// that are not UTF-8 are replaced).
    pub fn decoded_path(&self) -> String {
        String::from_utf8_lossy(&unescape(&self.path)).into_owned()
    }

    /// Port digits, empty when absent (Go's `Port`).
    pub fn port(&self) -> &str {
        split_host_port(&self.host).1
    }
}

/// Go's `getScheme`: a scheme is letters then letters/digits/`+-.` before a
/// colon; anything else means "no scheme".
fn split_scheme(raw: &str) -> Result<(&str, &str), UrlError> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err(UrlError::MissingScheme),
            // Every byte before `i` is a scheme character, so this colon is
            // the first one.
            b':' => return Ok(raw.split_once(':').unwrap_or(("", raw))),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `validOptionalPort`: empty, or `:` followed by digits only.
fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Go's `splitHostPort` as used by `Hostname` and `Port`.
fn split_host_port(host_port: &str) -> (&str, &str) {
    match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => (host, port),
        _ => (host_port, ""),
    }
}

/// Go 1.26's `parseHost`: an IPv6 literal only at the start of the host
/// and holding a real IPv6 address, a strictly numeric port after the
/// first colon otherwise (the `urlstrictcolons=1` default of modules on Go
/// 1.26, as Talos's), and the host's escapes checked and decoded.
fn parse_host(host: &str) -> Result<String, UrlError> {
    match host.rfind('[') {
        Some(i) if i > 0 => return Err(UrlError::InvalidIpLiteral),
        Some(_) => return parse_ip_literal(host),
        None => {}
    }
    if let Some(port) = host.find(':').and_then(|i| host.get(i..)) {
        if !valid_optional_port(port) {
            return Err(UrlError::InvalidPort {
                port: port.to_owned(),
            });
        }
    }
    unescape_host(host, HostPart::Host)
}

/// The bracketed branch of Go's `parseHost`: `[addr%25zone]:port`, where
/// the address must parse as IPv6 (an IPv4 address is refused).
fn parse_ip_literal(host: &str) -> Result<String, UrlError> {
    let (bracketed, port) = host.rsplit_once(']').ok_or(UrlError::MissingBracket)?;
    if !valid_optional_port(port) {
        return Err(UrlError::InvalidPort {
            port: port.to_owned(),
        });
    }
    // The caller only sends hosts whose one `[` is the first byte.
    let inner = bracketed
        .strip_prefix('[')
        .ok_or(UrlError::InvalidIpLiteral)?;
    let addr = match inner.find("%25").and_then(|z| inner.split_at_checked(z)) {
        Some((addr, zone)) => {
            let mut a = unescape_host(addr, HostPart::Host)?;
            a.push_str(&unescape_host(zone, HostPart::Zone)?);
            a
        }
        None => unescape_host(inner, HostPart::Host)?,
    };
    match crate::netip::parse_addr(&addr) {
        Ok(std::net::IpAddr::V6(_)) => Ok(format!("[{addr}]{port}")),
        Ok(std::net::IpAddr::V4(_)) => Err(UrlError::InvalidIpLiteral),
        Err(e) => Err(UrlError::InvalidIpv6 {
            reason: e.to_string(),
        }),
    }
}

/// The two host modes of Go's `unescape`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HostPart {
    /// `encodeHost`: escapes only for bytes 0x80 and up (or `%25`).
    Host,
    /// `encodeZone`: escapes only for bytes a host could hold as written.
    Zone,
}

/// Whether Go's `shouldEscape` escapes `b` in a host.
fn host_should_escape(b: u8) -> bool {
    !(b.is_ascii_alphanumeric() || b"!$&'()*+,;=:[]<>\"-_.~".contains(&b))
}

/// Go's `unescape` in host or zone mode: checks every character and
/// escape, then decodes (bytes that are not UTF-8 are replaced).
fn unescape_host(s: &str, part: HostPart) -> Result<String, UrlError> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                let Some(hex) = hex else {
                    return Err(invalid_escape(bytes, i));
                };
                let value =
                    u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("00"), 16).unwrap_or(0);
                let is_percent = hex.eq_ignore_ascii_case(b"25");
                let refused = match part {
                    HostPart::Host => value < 0x80 && !is_percent,
                    HostPart::Zone => !is_percent && value != b' ' && host_should_escape(value),
                };
                if refused {
                    return Err(invalid_escape(bytes, i));
                }
                i += 3;
            }
            b if b < 0x80 && host_should_escape(b) => {
                return Err(UrlError::InvalidHostCharacter { ch: char::from(b) });
            }
            _ => i += 1,
        }
    }
    Ok(String::from_utf8_lossy(&unescape(s)).into_owned())
}

/// [`UrlError::InvalidEscape`] for the escape starting at byte `i`: the
/// `%` and up to two bytes after it.
fn invalid_escape(bytes: &[u8], i: usize) -> UrlError {
    let tail = bytes.get(i..).unwrap_or_default();
    UrlError::InvalidEscape {
        escape: String::from_utf8_lossy(tail.get(..3).unwrap_or(tail)).into_owned(),
    }
}

/// Rejects `%` escapes that are not followed by two hex digits.
fn check_escapes(s: &str) -> Result<(), UrlError> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let ok = matches!(
                bytes.get(i + 1..i + 3),
                Some([hi, lo]) if hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit()
            );
            if !ok {
                return Err(invalid_escape(bytes, i));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

/// The URL parts whose escaping rules printing needs (Go's `encoding`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The path (`encodePath`).
    Path,
    /// The fragment (`encodeFragment`).
    Fragment,
    /// A user name or password (`encodeUserPassword`).
    UserPassword,
    /// The host (`encodeHost`).
    Host,
}

/// Go's `shouldEscape` for the path and fragment modes.
fn should_escape(b: u8, part: Part) -> bool {
    if part == Part::Host {
        return host_should_escape(b);
    }
    if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
        return false;
    }
    if b"$&+,/:;=?@".contains(&b) {
        return match part {
            Part::Path => b == b'?',
            Part::Fragment => false,
            Part::UserPassword => b"@/?:".contains(&b),
            Part::Host => true,
        };
    }
    !(part == Part::Fragment && b"!()*".contains(&b))
}

/// Go's `validEncoded`: whether text as written may be printed unchanged.
fn valid_encoded(s: &str, part: Part) -> bool {
    s.bytes()
        .all(|b| b"!$&'()*+,;=:@[]%".contains(&b) || !should_escape(b, part))
}

/// Go's `unescape` of text whose `%XX` escapes were already checked.
fn unescape(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let decoded = (b == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Percent-encodes every byte Go escapes in `part`.
fn escape_into(bytes: &[u8], part: Part, out: &mut String) {
    for &b in bytes {
        if should_escape(b, part) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
}

/// Go's `validUserinfo`: the characters a URL's user info may hold.
fn valid_userinfo(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
}

/// How Go prints a path or fragment parsed from `raw` (`EscapedPath`,
/// `EscapedFragment`): as written when every character may stay as it is,
/// else decoded and re-escaped with upper-case `%XX`.
fn print_escaped(raw: &str, part: Part, out: &mut String) {
    if valid_encoded(raw, part) {
        out.push_str(raw);
        return;
    }
    escape_into(&unescape(raw), part, out);
}

/// Go's `EscapedPath` of a path parsed from `raw`: as written when that is
/// not the default escaping yet a valid one; else a decoded `*` stays `*`;
/// else the decoded path escaped again.
fn print_path(raw: &str, out: &mut String) {
    let decoded = unescape(raw);
    let mut default = String::new();
    escape_into(&decoded, Part::Path, &mut default);
    if default != raw && valid_encoded(raw, Part::Path) {
        out.push_str(raw);
    } else if decoded == b"*" {
        out.push('*');
    } else {
        out.push_str(&default);
    }
}

impl fmt::Display for GoUrl {
    /// Go's `(*url.URL).String`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            let authority = !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            // Go's `OmitHost`: `https:/p` prints back without `//`.
            let omitted = self.omit_host && self.host.is_empty() && self.user.is_none();
            if authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(user) = &self.user {
                    // Go keeps the decoded name and password and escapes
                    // them again when printing.
                    let (name, password) = match user.split_once(':') {
                        Some((n, p)) => (n, Some(p)),
                        None => (user.as_str(), None),
                    };
                    escape_into(&unescape(name), Part::UserPassword, &mut buf);
                    if let Some(password) = password {
                        buf.push(':');
                        escape_into(&unescape(password), Part::UserPassword, &mut buf);
                    }
                    buf.push('@');
                }
                escape_into(self.host.as_bytes(), Part::Host, &mut buf);
            }
            let mut path = String::new();
            print_path(&self.path, &mut path);
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().is_some_and(|s| s.contains(':')) {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            print_escaped(&self.fragment, Part::Fragment, &mut buf);
        }
        f.write_str(&buf)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn https_endpoint_round_trips() {
        let u = GoUrl::parse("https://base:6443").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.host, "base:6443");
        assert_eq!(u.hostname(), "base");
        assert_eq!(u.port(), "6443");
        assert_eq!(u.to_string(), "https://base:6443");
    }

    #[test]
    fn scheme_is_lower_cased() {
        assert_eq!(
            GoUrl::parse("HTTPS://Base:1").unwrap().to_string(),
            "https://Base:1"
        );
    }

    #[test]
    fn ipv6_hostname_drops_brackets() {
        let u = GoUrl::parse("https://[fd00::1]:6443").unwrap();
        assert_eq!(u.hostname(), "fd00::1");
        assert_eq!(u.port(), "6443");
    }

    #[test]
    fn bare_host_is_a_path() {
        let u = GoUrl::parse("base").unwrap();
        assert_eq!(u.scheme, "");
        assert_eq!(u.host, "");
        assert_eq!(u.path, "base");
    }

    #[test]
    fn host_port_without_scheme_is_rejected() {
        assert_eq!(
            GoUrl::parse("1.2.3.4:6443"),
            Err(UrlError::ColonInFirstSegment)
        );
    }

    #[test]
    fn non_numeric_port_is_rejected() {
        assert!(matches!(
            GoUrl::parse("https://base:port"),
            Err(UrlError::InvalidPort { .. })
        ));
    }

    #[test]
    fn space_in_host_is_rejected() {
        assert!(matches!(
            GoUrl::parse("https://ba se:1"),
            Err(UrlError::InvalidHostCharacter { ch: ' ' })
        ));
    }

    #[test]
    fn trailing_slash_path_is_kept() {
        let u = GoUrl::parse("https://discovery.talos.dev/").unwrap();
        assert_eq!(u.to_string(), "https://discovery.talos.dev/");
    }

    #[test]
    fn path_and_fragment_print_like_go() {
        let p = |raw: &str| GoUrl::parse(raw).unwrap().to_string();
        // Valid as written: kept, escapes and all.
        assert_eq!(p("https://h/a'b[c]%41"), "https://h/a'b[c]%41");
        assert_eq!(p("https://h/p#f/?!()*"), "https://h/p#f/?!()*");
        // Anything to escape: decoded, then escaped Go's way.
        assert_eq!(p("https://h/a b%41'"), "https://h/a%20bA%27");
        assert_eq!(p("https://h/é"), "https://h/%C3%A9");
        assert_eq!(p("https://h/p#a b'"), "https://h/p#a%20b%27");
        assert_eq!(p("https://h/p#%7e x"), "https://h/p#~%20x");
    }

    #[test]
    fn userinfo_prints_like_go() {
        let p = |raw: &str| GoUrl::parse(raw).unwrap().to_string();
        assert_eq!(p("https://user:pass@h/"), "https://user:pass@h/");
        assert_eq!(p("https://u%41:p!a$s@h"), "https://uA:p%21a$s@h");
        assert_eq!(p("https://a@b@h"), "https://a%40b@h");
        assert_eq!(p("https://:@h"), "https://:@h");
        assert_eq!(
            GoUrl::parse("https://u ser@h"),
            Err(UrlError::InvalidUserinfo)
        );
        assert!(GoUrl::parse("https://u%zz@h").is_err());
    }

    #[test]
    fn escaped_star_path_prints_as_star() {
        // Go's `EscapedPath` special case for a path of `*`.
        assert_eq!(GoUrl::parse("%2A").unwrap().to_string(), "*");
        // Written otherwise than the default escaping: kept as written.
        assert_eq!(GoUrl::parse("%2a").unwrap().to_string(), "%2a");
        assert_eq!(
            GoUrl::parse("https://h/%2A").unwrap().to_string(),
            "https://h/%2A"
        );
    }

    #[test]
    fn leading_colon_is_missing_scheme() {
        assert_eq!(GoUrl::parse(":foo"), Err(UrlError::MissingScheme));
    }

    #[test]
    fn request_uri_refuses_empty_and_relative_text() {
        assert_eq!(GoUrl::parse_request_uri(""), Err(UrlError::EmptyUrl));
        for text in ["a/b", "host", "a:b/c:d"] {
            let want = if text.contains(':') {
                Ok(())
            } else {
                Err(UrlError::InvalidRequestUri)
            };
            assert_eq!(GoUrl::parse_request_uri(text).map(|_| ()), want, "{text}");
        }
        assert_eq!(
            GoUrl::parse_request_uri("\x01"),
            Err(UrlError::ControlCharacter)
        );
        assert_eq!(
            GoUrl::parse_request_uri("/a\u{7f}"),
            Err(UrlError::ControlCharacter)
        );
        assert_eq!(
            GoUrl::parse_request_uri(":6443"),
            Err(UrlError::MissingScheme)
        );
        assert_eq!(
            GoUrl::parse_request_uri("https://h:x/"),
            Err(UrlError::InvalidPort {
                port: ":x".to_owned()
            })
        );
    }

    #[test]
    fn request_uri_keeps_fragment_and_double_slash_in_the_path() {
        let u = GoUrl::parse_request_uri("https://d.example:443/p#frag").unwrap();
        assert_eq!(
            (u.host.as_str(), u.path.as_str()),
            ("d.example:443", "/p#frag")
        );
        assert!(u.fragment.is_empty());
        let u = GoUrl::parse_request_uri("//host/p").unwrap();
        assert_eq!((u.host.as_str(), u.path.as_str()), ("", "//host/p"));
        assert_eq!(GoUrl::parse_request_uri("*").unwrap().path, "*");
        let u = GoUrl::parse_request_uri("mailto:a@b").unwrap();
        assert_eq!((u.opaque.as_str(), u.path.as_str()), ("a@b", ""));
        // url.Parse reads the same text with a fragment and an authority.
        let u = GoUrl::parse("//host/p#f").unwrap();
        assert_eq!((u.host.as_str(), u.fragment.as_str()), ("host", "f"));
    }

    proptest::proptest! {
        // Printing a URL with a scheme and a host is stable: the printed
        // form reads back and prints the same. (Relative URLs are exempt:
        // as in Go, a path such as `%2f/x` prints as `//x`, a host.)
        #[test]
        fn printing_is_stable(text in "[a-zA-Z0-9:/?#\\[\\]@%. é+-]{0,32}") {
            if let Ok(url) = GoUrl::parse(&text) {
                if !url.scheme.is_empty() && !url.host.is_empty() {
                    let once = url.to_string();
                    let again = GoUrl::parse(&once).map(|u| u.to_string());
                    proptest::prop_assert_eq!(again.as_deref(), Ok(once.as_str()));
                }
            }
        }
    }

    proptest::proptest! {
        // Any text, non-ASCII included, is parsed, printed and split
        // without a panic.
        #[test]
        fn any_text_is_handled_without_panic(text in "\\PC{0,24}") {
            if let Ok(url) = GoUrl::parse(&text) {
                let _ = (url.to_string(), url.hostname(), url.port(), url.decoded_path());
            }
            let _ = crate::parse_addr(&text);
        }
    }

    #[test]
    fn non_ascii_next_to_separators() {
        let u = GoUrl::parse("https://é@hé:1/ü?ä#ö").unwrap_err();
        assert_eq!(u, UrlError::InvalidUserinfo);
        let u = GoUrl::parse("https://hé:1/ü?ä#ö").unwrap();
        assert_eq!(u.hostname(), "hé");
        assert_eq!(u.port(), "1");
        assert_eq!(u.to_string(), "https://h%C3%A9:1/%C3%BC?ä#%C3%B6");
        assert_eq!(
            GoUrl::parse("https://h/%é"),
            Err(UrlError::InvalidEscape {
                escape: "%é".into()
            })
        );
        assert!(matches!(
            GoUrl::parse("https://[é]:1"),
            Err(UrlError::InvalidIpv6 { .. })
        ));
        assert!(matches!(
            GoUrl::parse("https://h:é"),
            Err(UrlError::InvalidPort { .. })
        ));
    }

    #[test]
    fn round_trips_common_shapes() {
        for u in [
            "https://base:6443",
            "https://u:p@h/p?q=1#f",
            "tcp://1.2.3.4:5",
            "unix:/run/x",
            "/just/path",
            "https://h/?",
            "http:///p",
        ] {
            assert_eq!(GoUrl::parse(u).unwrap().to_string(), u);
        }
    }

    // Go 1.26 `parseHost`: strict colons, `[` only first, a real IPv6
    // address (non-empty zone) in brackets, zone characters checked.
    #[test]
    fn go_1_26_host_rules() {
        for (raw, err) in [
            (
                "http://a:1:2/",
                UrlError::InvalidPort {
                    port: ":1:2".into(),
                },
            ),
            ("http://a[b]/", UrlError::InvalidIpLiteral),
            ("http://[1.2.3.4]/", UrlError::InvalidIpLiteral),
            (
                "http://[fe80::1%25]/",
                UrlError::InvalidIpv6 {
                    reason: r#"ParseAddr("fe80::1%"): zone must be a non-empty string"#.into(),
                },
            ),
            (
                "http://[fe80::1%25e th]/",
                UrlError::InvalidHostCharacter { ch: ' ' },
            ),
        ] {
            assert_eq!(GoUrl::parse(raw), Err(err), "{raw}");
        }
        let zoned = GoUrl::parse("http://[fe80::1%25e%20th]:80/").unwrap();
        assert_eq!(zoned.hostname(), "fe80::1%e th");
        assert_eq!(zoned.to_string(), "http://[fe80::1%25e%20th]:80/");
    }

    #[test]
    fn control_bytes_are_refused_only_before_the_fragment() {
        assert_eq!(
            GoUrl::parse("http://x/\u{7f}"),
            Err(UrlError::ControlCharacter)
        );
        let u = GoUrl::parse("http://x/#\u{7f}").unwrap();
        assert_eq!(u.to_string(), "http://x/#%7F");
    }

    #[test]
    fn scheme_with_opaque_part() {
        let u = GoUrl::parse("base:6443").unwrap();
        assert_eq!(u.scheme, "base");
        assert_eq!(u.opaque, "6443");
        assert_eq!(u.to_string(), "base:6443");
    }
}
