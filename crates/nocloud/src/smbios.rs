//! SMBIOS system serial numbers in the `ds=nocloud-net;s=URL;h=HOST;i=ID`
//! form Talos reads to find an HTTP seed.
//!
//! Talos (`platform/nocloud/metadata.go`, `acquireConfig`) splits the serial
//! on every `;`, then each option on its first `=`. It honours `ds` only when
//! it equals `nocloud-net`, `s` only when Go's `url.Parse` accepts it and the
//! scheme starts with `http` (adding a `/` to the text when the decoded path
//! lacks one; a rejected `s` leaves an earlier one in place), and takes the
//! last `h` and `i` verbatim, using them only when not empty (`i` since Talos
//! v1.10). The URL is used as written: no `${...}` substitution happens on
//! this platform. The builder here refuses or percent-encodes anything that
//! would make that split go wrong.

use base64::Engine as _;
use talgen_gourl::GoUrl;

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
    /// The last `h=` host name, when not empty (Talos ignores an empty one).
    pub hostname: Option<String>,
    /// The last `i=` instance id, when not empty (Talos ignores an empty one).
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

    /// Why Talos would refuse the `h=` host name, if it would. Talos splits
    /// it at the first `.` and needs a first label of 1 to 63 bytes and a
    /// name of at most 253; a refused name makes the whole platform network
    /// configuration fail, not only the host name.
    pub fn hostname_problem(&self) -> Option<String> {
        let fqdn = self.hostname.as_deref()?;
        let (host, domain) = fqdn.split_once('.').unwrap_or((fqdn, ""));
        let full = if domain.is_empty() {
            host.len()
        } else {
            fqdn.len()
        };
        if host.is_empty() || host.len() > 63 {
            Some(format!(
                "the first label {host:?} is not 1 to 63 bytes long"
            ))
        } else if full > 253 {
            Some(format!("the name is {full} bytes long, more than 253"))
        } else {
            None
        }
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
    // Talos keeps the last `h` / `i` and uses it only when it is not empty.
    parsed.hostname = parsed.hostname.filter(|h| !h.is_empty());
    parsed.instance_id = parsed.instance_id.filter(|i| !i.is_empty());
    parsed
}

/// Decodes a serial given either as plain text or as the base64 Proxmox
/// stores with `base64=1`.
pub fn decode_serial(input: &str) -> Result<ParsedSerial> {
    let input = input.trim();
    // Base64 has `=` only as trailing padding and never `;`.
    let core = input.trim_end_matches('=');
    if core.contains('=') || core.contains(';') {
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
/// lower-cased scheme must start with `http`; `/` is appended to the text
/// (not to the parsed URL: Talos uses the text as written) when the decoded
/// path does not end with one.
fn talos_seed_base(value: &str) -> Option<String> {
    let url = GoUrl::parse(value).ok()?;
    if !url.scheme.starts_with("http") {
        return None;
    }
    if url.decoded_path().ends_with('/') {
        Some(value.to_string())
    } else {
        Some(format!("{value}/"))
    }
}

/// Normalises a seed URL so Talos reads it back unchanged: scheme `http` or
/// `https`, a host, no query or fragment (Talos appends file names to the
/// text), no `${...}` placeholder (nothing expands it on this platform), `;`
/// and other unsafe characters percent-encoded, a trailing `/`.
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
    if rest.contains("${") {
        return Err(bad(
            "the nocloud platform does no ${...} substitution (that is the metal platform's talos.config); write the value itself",
        ));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => (Some(userinfo), hostport),
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
        talgen_gourl::net::parse_ip(addr)
            .filter(std::net::IpAddr::is_ipv6)
            .ok_or_else(|| format!("{addr:?} is not an IPv6 address"))?;
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
    for (i, &c) in b.iter().enumerate() {
        let valid_escape = c == b'%'
            && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if keep(c) || valid_escape {
            out.push(char::from(c));
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
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
        // Upstream metadata.go uses the `s` text as is: the `${uuid}`-style
        // variables of the metal platform's talos.config are not expanded.
        let e = SmbiosSerial::new("http://x/${uuid}/", "h").unwrap_err();
        assert!(e.to_string().contains("substitut"), "{e}");
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

    // Upstream: internal/app/machined/pkg/runtime/v1alpha1/platform/nocloud/
    // metadata.go (acquireConfig): `h` and `i` are assigned on every
    // occurrence but only used when the final value is not empty.
    #[test]
    fn empty_host_and_instance_id_are_not_used() {
        let p = parse_serial("ds=nocloud-net;s=http://x/;h=a;h=;i=");
        assert_eq!(p.hostname, None);
        assert_eq!(p.instance_id, None);
        let p = parse_serial("h=;h=b;i=1");
        assert_eq!(p.hostname.as_deref(), Some("b"));
        assert_eq!(p.instance_id.as_deref(), Some("1"));
    }

    // Upstream (same function): `s` is accepted when Go's url.Parse succeeds
    // and the lower-cased scheme starts with "http"; a `/` is appended to
    // the text unless the *decoded* path already ends with one.
    #[test]
    fn seed_url_acceptance_follows_go_url_parse() {
        let url = |s: &str| parse_serial(&format!("s={s}")).url;
        // Go decodes %2F in the path before looking at the last character.
        assert_eq!(url("http://x/a%2F").as_deref(), Some("http://x/a%2F"));
        assert_eq!(url("http://x/a%2f").as_deref(), Some("http://x/a%2f"));
        // Spaces are legal in a Go URL path (only control bytes are not).
        assert_eq!(url("http://x/a b").as_deref(), Some("http://x/a b/"));
        // An opaque http URL parses; its path is empty.
        assert_eq!(url("http:x").as_deref(), Some("http:x/"));
        assert_eq!(url("HTTPS://x/").as_deref(), Some("HTTPS://x/"));
        // The query is not checked and the slash goes after it, as in Go.
        assert_eq!(url("http://x/a?%zz").as_deref(), Some("http://x/a?%zz/"));
        for rejected in [
            "http://x:abc/",   // port must be digits
            "http://a b/",     // space in host
            "http://[::1/",    // missing ]
            "http://[x]/",     // not an IPv6 literal
            "http://u ser@x/", // invalid userinfo
            "http://x/%zz",    // bad escape in path
            "http://x/#%zz",   // bad escape in fragment
            "http://%41/",     // ASCII escaped in host
            ":http://x/",      // missing scheme
            "http://x/\u{7f}", // control byte
        ] {
            assert_eq!(url(rejected), None, "{rejected} accepted");
        }
        // Accepted by Go although odd.
        for accepted in [
            "http://x:/",
            "http://[::1]:80/",
            "http://x/a%2Fb",
            "http://%C3%A9/",
        ] {
            assert!(url(accepted).is_some(), "{accepted} rejected");
        }
        // A rejected `s` keeps the earlier accepted one.
        let p = parse_serial("s=http://a/;s=http://b:x/");
        assert_eq!(p.url.as_deref(), Some("http://a/"));
    }

    // Cases where the former hand-written checks and Go 1.26's url.Parse
    // (talgen-gourl, audited against Go 1.26) disagreed; Go 1.26 decides.
    #[test]
    fn seed_url_acceptance_uses_go_1_26_rules() {
        let url = |s: &str| parse_serial(&format!("s={s}")).url;
        for rejected in [
            "http://a:1:2/",            // the first colon starts the port
            "http://a[b]/",             // `[` only at the start of the host
            "http://[fe80::1%25]/",     // empty IPv6 zone
            "http://[fe80::1%25e th]/", // space in the zone
        ] {
            assert_eq!(url(rejected), None, "{rejected} accepted");
        }
        // Go checks control bytes only before the fragment.
        assert_eq!(url("http://x/#\u{7f}").as_deref(), Some("http://x/#\u{7f}"));
        assert_eq!(
            url("http://[fe80::1%25e%20th]/").as_deref(),
            Some("http://[fe80::1%25e%20th]/")
        );
    }

    // Upstream: pkg/machinery/resources/network/hostname_spec.go (ParseFQDN,
    // Validate), called from platform/nocloud/nocloud.go (ParseMetadata).
    #[test]
    fn hostnames_talos_refuses_are_flagged() {
        let problem = |h: &str| parse_serial(&format!("h={h}")).hostname_problem();
        assert_eq!(problem("node1.example.com"), None);
        assert_eq!(problem("a."), None);
        assert!(problem(".example.com").is_some());
        assert!(problem(&"x".repeat(64)).is_some());
        assert_eq!(problem(&format!("a.{}", "b".repeat(251))), None);
        assert!(problem(&format!("a.{}", "b".repeat(252))).is_some());
        assert_eq!(parse_serial("s=http://x/").hostname_problem(), None);
    }

    // A plain serial with a single option (no `;`, not starting with `ds=`)
    // is still a serial Talos splits: `s=` alone selects no HTTP seed.
    #[test]
    fn decode_reads_single_option_serials_as_text() {
        let p = decode_serial("s=http://x/").unwrap();
        assert_eq!(p.url.as_deref(), Some("http://x/"));
        assert!(!p.uses_http_seed());
        let p = decode_serial("h=node1").unwrap();
        assert_eq!(p.hostname.as_deref(), Some("node1"));
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
