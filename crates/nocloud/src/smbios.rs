//! SMBIOS system serial numbers in the `ds=nocloud-net;s=URL;h=HOST;i=ID`
//! form Talos reads to find an HTTP seed.
//!
//! Talos (`platform/nocloud/metadata.go`, `acquireConfig`) splits the serial
//! on every `;`, then each option on its first `=`. It honours `ds` only when
//! it equals `nocloud-net`, `s` only when it parses as a URL whose scheme
//! starts with `http` (adding a `/` to the text when the path lacks one), and
//! takes `h` and `i` verbatim (`i` since Talos v1.10). Later options win. The
//! builder here refuses or percent-encodes anything that would make that
//! split go wrong.

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::names::{validate_hostname, validate_token};

/// The data source name Talos requires in `ds=` to use the HTTP seed.
pub const NOCLOUD_NET: &str = "nocloud-net";

/// A validated SMBIOS serial for the NoCloud HTTP seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmbiosSerial {
    url: String,
    hostname: String,
    instance_id: Option<String>,
}

impl SmbiosSerial {
    /// Builds a serial for the seed at `url` (normalised with
    /// [`normalize_seed_url`]) and the node `hostname`.
    pub fn new(url: &str, hostname: &str) -> Result<Self> {
        Self::with_credentials(url, hostname, None)
    }

    /// Like [`SmbiosSerial::new`], embedding basic-auth `credentials`
    /// (user, password) percent-encoded into the URL.
    pub fn with_credentials(
        url: &str,
        hostname: &str,
        credentials: Option<(&str, &str)>,
    ) -> Result<Self> {
        validate_hostname(hostname)?;
        Ok(Self {
            url: normalize_seed_url(url, credentials)?,
            hostname: hostname.to_string(),
            instance_id: None,
        })
    }

    /// Adds an instance id (`i=`, read by Talos v1.10 and later).
    pub fn instance_id(mut self, id: &str) -> Result<Self> {
        validate_token("instance id", id, &[';'])?;
        self.instance_id = Some(id.to_string());
        Ok(self)
    }

    /// The normalised seed URL, always ending with `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The serial string itself.
    pub fn serial(&self) -> String {
        let mut s = format!("ds={NOCLOUD_NET};s={};h={}", self.url, self.hostname);
        if let Some(id) = &self.instance_id {
            s.push_str(";i=");
            s.push_str(id);
        }
        s
    }

    /// The serial encoded as standard base64 on one line, as Proxmox wants it
    /// with `base64=1`.
    pub fn base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.serial())
    }

    /// The `qm set` command that installs this serial, keeping `uuid` (the
    /// VM's existing SMBIOS UUID) when given: `qm set` replaces the whole
    /// `smbios1` option, so leaving it out would change the machine's UUID.
    pub fn qm_set(&self, vmid: Option<u32>, uuid: Option<&str>) -> String {
        let vmid = vmid.map_or_else(|| "VMID".to_string(), |v| v.to_string());
        let mut value = String::new();
        if let Some(uuid) = uuid {
            value.push_str("uuid=");
            value.push_str(uuid);
            value.push(',');
        }
        value.push_str("serial=");
        value.push_str(&self.base64());
        value.push_str(",base64=1");
        format!("qm set {vmid} --smbios1 \"{value}\"")
    }

    /// The `smbios` block of a Terraform `proxmox_virtual_environment_vm`
    /// resource (the provider base64-encodes the values itself).
    pub fn terraform(&self, uuid: Option<&str>) -> String {
        let mut out = String::from("smbios {\n");
        if let Some(uuid) = uuid {
            out.push_str(&format!("  uuid   = \"{}\"\n", hcl_escape(uuid)));
        }
        out.push_str(&format!("  serial = \"{}\"\n", hcl_escape(&self.serial())));
        out.push_str("}\n");
        out
    }
}

/// Escapes a string for an HCL quoted template.
fn hcl_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// What Talos would make of an SMBIOS serial.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedSerial {
    /// `ds=nocloud-net` was present.
    pub network_source: bool,
    /// The seed base URL Talos fetches from (trailing `/` added), if `s=`
    /// held an acceptable URL.
    pub url: Option<String>,
    /// The `h=` host name.
    pub hostname: Option<String>,
    /// The `i=` instance id.
    pub instance_id: Option<String>,
    /// Options Talos ignores (unknown keys, no `=`, rejected values).
    pub ignored: Vec<String>,
}

impl ParsedSerial {
    /// Whether Talos fetches the seed over HTTP (otherwise it looks for a
    /// `cidata` volume).
    pub fn uses_http_seed(&self) -> bool {
        self.network_source && self.url.is_some()
    }
}

/// Splits a serial exactly like Talos does (see the module docs). Never
/// fails: whatever Talos would ignore lands in [`ParsedSerial::ignored`].
pub fn parse_serial(serial: &str) -> ParsedSerial {
    let mut parsed = ParsedSerial::default();
    for option in serial.split(';') {
        let Some((key, value)) = option.split_once('=') else {
            parsed.ignored.push(option.to_string());
            continue;
        };
        match key {
            "ds" if value == NOCLOUD_NET => parsed.network_source = true,
            "s" => match talos_seed_base(value) {
                Some(url) => parsed.url = Some(url),
                None => parsed.ignored.push(option.to_string()),
            },
            "h" => parsed.hostname = Some(value.to_string()),
            "i" => parsed.instance_id = Some(value.to_string()),
            _ => parsed.ignored.push(option.to_string()),
        }
    }
    parsed
}

/// Decodes a serial given either as plain text or as the base64 Proxmox
/// stores with `base64=1`.
pub fn decode_serial(input: &str) -> Result<ParsedSerial> {
    let input = input.trim();
    if input.contains('=') && (input.contains(';') || input.starts_with("ds=")) {
        return Ok(parse_serial(input));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(input)
        .map_err(|e| Error::InvalidSerial {
            reason: format!("neither a serial nor base64: {e}"),
        })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::InvalidSerial {
        reason: "base64 does not decode to UTF-8 text".into(),
    })?;
    Ok(parse_serial(&text))
}

/// Talos's acceptance rule for `s=`: Go's `url.Parse` must succeed and the
/// scheme must start with `http`; `/` is appended to the text when the
/// parsed path does not end with one. This approximates `url.Parse` with the
/// checks that matter for seeds (scheme syntax, no control characters or
/// spaces, valid percent escapes).
fn talos_seed_base(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once(':')?;
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || !scheme.to_ascii_lowercase().starts_with("http") {
        return None;
    }
    if value.chars().any(|c| c.is_control() || c == ' ') || !escapes_valid(value) {
        return None;
    }
    let before_query = rest.split(['?', '#']).next().unwrap_or("");
    let path = match before_query.strip_prefix("//") {
        Some(auth_and_path) => auth_and_path.find('/').map_or("", |i| &auth_and_path[i..]),
        None => before_query,
    };
    if path.ends_with('/') {
        Some(value.to_string())
    } else {
        Some(format!("{value}/"))
    }
}

fn escapes_valid(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i += 3,
                _ => return false,
            }
        } else {
            i += 1;
        }
    }
    true
}

/// Normalises a seed URL so Talos reads it back unchanged: scheme `http` or
/// `https`, a host, no query or fragment (Talos appends file names to the
/// text), `;` and other unsafe characters percent-encoded, a trailing `/`.
/// `credentials` (user, password) are percent-encoded into the URL.
pub fn normalize_seed_url(url: &str, credentials: Option<(&str, &str)>) -> Result<String> {
    let bad = |reason: &str| Error::InvalidUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("expected http://HOST/PATH or https://HOST/PATH"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad("only http and https seeds are supported by Talos"));
    }
    if rest.contains(['?', '#']) {
        return Err(bad(
            "a query or fragment cannot be used: Talos appends file names to the url",
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    validate_hostport(hostport).map_err(|r| bad(&r))?;
    let userinfo = match (userinfo, credentials) {
        (Some(_), Some(_)) => {
            return Err(bad(
                "the url already holds credentials; drop --user/--password",
            ))
        }
        (Some(u), None) => Some(encode(u, is_userinfo_char)),
        (None, Some((user, password))) => {
            if user.is_empty() {
                return Err(bad("empty user name"));
            }
            Some(format!(
                "{}:{}",
                encode(user, is_unreserved),
                encode(password, is_unreserved)
            ))
        }
        (None, None) => None,
    };
    let mut path = encode(path, is_path_char);
    if !path.ends_with('/') {
        path.push('/');
    }
    let mut out = format!("{scheme}://");
    if let Some(u) = userinfo {
        out.push_str(&u);
        out.push('@');
    }
    out.push_str(&hostport.to_ascii_lowercase());
    out.push_str(&path);
    Ok(out)
}

fn validate_hostport(hostport: &str) -> Result<(), String> {
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or_else(|| "unterminated [ipv6] host".to_string())?;
        addr.parse::<std::net::Ipv6Addr>()
            .map_err(|_| format!("{addr:?} is not an IPv6 address"))?;
        match after {
            "" => ("v6", None),
            p => ("v6", Some(p.strip_prefix(':').ok_or("garbage after ]")?)),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    if host != "v6"
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err(format!("{host:?} is not a host name or IPv4 address"));
    }
    if let Some(port) = port {
        match port.parse::<u16>() {
            Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return Err(format!("{port:?} is not a port")),
        }
    }
    Ok(())
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Characters kept as they are in a path; `;` is a sub-delimiter in RFC 3986
/// but Talos splits the serial on it, so it is always encoded.
fn is_path_char(b: u8) -> bool {
    is_unreserved(b)
        || matches!(
            b,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b'='
                | b':'
                | b'@'
                | b'/'
        )
}

fn is_userinfo_char(b: u8) -> bool {
    is_unreserved(b)
        || matches!(
            b,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b'=' | b':'
        )
}

/// Percent-encodes bytes outside `keep`, leaving valid existing escapes.
fn encode(s: &str, keep: fn(u8) -> bool) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let valid_escape = c == b'%'
            && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if keep(c) || valid_escape {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
        i += 1;
    }
    out
}

/// Extracts the `uuid=` value from a Proxmox `smbios1` option, given either
/// as the value itself or as a whole `qm config` line (`smbios1: uuid=…`).
pub fn uuid_from_qm_config(line: &str) -> Result<Option<String>> {
    let value = line.trim();
    let value = value.strip_prefix("smbios1:").unwrap_or(value).trim();
    let mut uuid = None;
    for part in value.split(',') {
        if let Some(u) = part.trim().strip_prefix("uuid=") {
            validate_uuid(u)?;
            uuid = Some(u.to_string());
        }
    }
    Ok(uuid)
}

/// Checks the 8-4-4-4-12 hexadecimal UUID form Proxmox uses.
pub fn validate_uuid(uuid: &str) -> Result<()> {
    let groups: Vec<&str> = uuid.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = groups.len() == lens.len()
        && groups
            .iter()
            .zip(lens)
            .all(|(g, l)| g.len() == l && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            field: "uuid",
            value: uuid.to_string(),
            reason: "expected 8-4-4-4-12 hexadecimal digits".into(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_documented_form() {
        let s = SmbiosSerial::new("http://10.0.0.1/configs", "talos-cp-1")
            .unwrap()
            .instance_id("cp1")
            .unwrap();
        assert_eq!(
            s.serial(),
            "ds=nocloud-net;s=http://10.0.0.1/configs/;h=talos-cp-1;i=cp1"
        );
        assert_eq!(
            s.base64(),
            "ZHM9bm9jbG91ZC1uZXQ7cz1odHRwOi8vMTAuMC4wLjEvY29uZmlncy87aD10YWxvcy1jcC0xO2k9Y3Ax"
        );
    }

    #[test]
    fn semicolons_and_credentials_are_encoded() {
        let s = SmbiosSerial::with_credentials(
            "https://seed.example.com:8443/a;b",
            "n1",
            Some(("us;er", "p@ss:w;rd")),
        )
        .unwrap();
        assert_eq!(
            s.url(),
            "https://us%3Ber:p%40ss%3Aw%3Brd@seed.example.com:8443/a%3Bb/"
        );
        let p = parse_serial(&s.serial());
        assert_eq!(p.url.as_deref(), Some(s.url()));
        assert!(p.ignored.is_empty());
    }

    #[test]
    fn refuses_what_talos_would_misread() {
        for url in [
            "ftp://x/",
            "http:/x",
            "http://x/?a=b",
            "http://x/#f",
            "http:///p",
            "http://x:99999/",
            "http://a b/",
        ] {
            assert!(SmbiosSerial::new(url, "h").is_err(), "{url} accepted");
        }
        assert!(SmbiosSerial::new("http://x/", "a;b").is_err());
        assert!(SmbiosSerial::new("http://x/", "h")
            .unwrap()
            .instance_id("a;b")
            .is_err());
    }

    #[test]
    fn parse_follows_talos() {
        let p = parse_serial("ds=nocloud;s=http://x/y;h=a;foo;i=1;z=2");
        assert!(!p.network_source);
        assert_eq!(p.url.as_deref(), Some("http://x/y/"));
        assert!(!p.uses_http_seed());
        assert_eq!(p.ignored, vec!["ds=nocloud", "foo", "z=2"]);
        let p = parse_serial("ds=nocloud-net;s=ftp://x/");
        assert_eq!(p.url, None);
        assert!(!p.uses_http_seed());
    }

    #[test]
    fn decode_accepts_base64() {
        let s = SmbiosSerial::new("http://x", "h").unwrap();
        let p = decode_serial(&s.base64()).unwrap();
        assert!(p.uses_http_seed());
        assert_eq!(p.hostname.as_deref(), Some("h"));
        assert!(decode_serial("!!!").is_err());
    }

    #[test]
    fn qm_lines() {
        let s = SmbiosSerial::new("http://x", "h").unwrap();
        let uuid =
            uuid_from_qm_config("smbios1: uuid=0b0d5b4e-3c3a-4d8e-9a63-2f1c1d7f8e11,serial=abc")
                .unwrap()
                .unwrap();
        assert_eq!(
            s.qm_set(Some(101), Some(&uuid)),
            format!(
                "qm set 101 --smbios1 \"uuid=0b0d5b4e-3c3a-4d8e-9a63-2f1c1d7f8e11,serial={},base64=1\"",
                s.base64()
            )
        );
        assert!(uuid_from_qm_config("uuid=nope").is_err());
        assert_eq!(uuid_from_qm_config("serial=x").unwrap(), None);
        assert!(s
            .terraform(None)
            .contains("serial = \"ds=nocloud-net;s=http://x/;h=h\""));
    }
}
