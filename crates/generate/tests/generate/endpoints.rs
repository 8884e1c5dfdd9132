//! Endpoints and URLs as Talos reads them: `talosctl gen config`'s checks
//! (`cmd/talosctl/cmd/mgmt/gen/config.go`, `validateClusterEndpoint`) on
//! top of Go 1.26's `net/url.Parse`, which Talos is built with (its go.mod
//! says go 1.26, so the strict-colon default applies), and how parsed hosts
//! end up in configs (`generate/init.go`: `Hostname()` for the SAN,
//! `String()` for the endpoint fields).

use talgen_contract::Contract;
use talgen_generate::{
    validate_cluster_endpoint, EndpointError, Input, MachineType, Options, UrlError,
};

use crate::options::test_bundle;

fn input(endpoint: &str, contract: Contract) -> Input {
    let mut o = Options::default();
    o.contract = contract;
    o.secrets = Some(test_bundle());
    Input::new("c", endpoint, "1.30.0", o).unwrap()
}

fn unparsable(endpoint: &str) -> UrlError {
    match validate_cluster_endpoint(endpoint) {
        Err(EndpointError::Unparsable { source, .. }) => source,
        other => panic!("{endpoint}: expected a parse error, got {other:?}"),
    }
}

/// Go 1.26 `parseHost`: outside brackets the first colon starts the port,
/// so a second colon (an unbracketed IPv6 address, a doubled port) makes
/// the URL unparsable before siderolabs/net's own checks run.
#[test]
fn colons_outside_brackets_are_strict() {
    assert_eq!(
        unparsable("https://lab:6443:6443"),
        UrlError::InvalidPort {
            port: ":6443:6443".into()
        }
    );
    assert_eq!(
        unparsable("https://fd00::1:6443"),
        UrlError::InvalidPort {
            port: "::1:6443".into()
        }
    );
    let msg = validate_cluster_endpoint("https://fd00::1:6443")
        .unwrap_err()
        .to_string();
    assert_eq!(
        msg,
        "failed to parse the cluster endpoint URL: parse \"https://fd00::1:6443\": \
         invalid port \"::1:6443\" after host"
    );
    // An empty port passes both Go's parser and siderolabs/net.
    validate_cluster_endpoint("https://lab:").unwrap();
}

/// Brackets must start the host and hold an IPv6 address (Go 1.26.1,
/// CVE-2026-25679, and the `netip.ParseAddr` check of bracketed hosts).
#[test]
fn brackets_hold_only_ipv6() {
    assert_eq!(
        unparsable("https://x[fd00::1]:6443"),
        UrlError::InvalidIpLiteral
    );
    assert_eq!(
        unparsable("https://[10.0.0.1]:6443"),
        UrlError::InvalidIpLiteral
    );
    assert!(matches!(
        unparsable("https://[lab]:6443"),
        UrlError::InvalidIpv6 { .. }
    ));
    assert!(matches!(
        unparsable("https://[fe80::1%25]:6443"),
        UrlError::InvalidIpv6 { .. }
    ));
    validate_cluster_endpoint("https://[fd00::1]:6443").unwrap();
    validate_cluster_endpoint("https://[::ffff:10.0.0.1]:6443").unwrap();
    // A zone is kept, its `%` escaped again when printed.
    validate_cluster_endpoint("https://[fe80::1%25eth0]:6443").unwrap();
    let text = input("https://[fe80::1%25eth0]:6443", Contract::V1_11)
        .render(MachineType::Worker)
        .unwrap();
    assert!(
        text.contains("endpoint: https://[fe80::1%25eth0]:6443\n"),
        "{text}"
    );
    assert_eq!(
        input("https://[fe80::1%25eth0]:6443", Contract::V1_11).api_server_sans(),
        ["fe80::1%eth0"]
    );
}

/// Hosts are stored decoded: only bytes from 0x80 on (and `%25`) may be
/// escaped, the SAN gets the decoded name and printing escapes it again
/// with upper-case hex.
#[test]
fn host_escapes_are_decoded() {
    assert!(matches!(
        unparsable("https://%41b:6443"),
        UrlError::InvalidEscape { .. }
    ));
    let i = input("https://b%c3%bccher.example:6443", Contract::V1_11);
    assert_eq!(i.api_server_sans(), ["bücher.example"]);
    let text = i.render(MachineType::Worker).unwrap();
    assert!(
        text.contains("endpoint: https://b%C3%BCcher.example:6443\n"),
        "{text}"
    );
    let i = input("https://bücher.example:6443", Contract::V1_11);
    assert_eq!(i.api_server_sans(), ["bücher.example"]);
}

/// The suggestion talosctl prints is the fixed URL through `String()`, so
/// characters a host may not hold are escaped and a path is decoded
/// before it becomes the host.
#[test]
fn suggestions_print_hosts_like_go() {
    let msg = |e: &str| validate_cluster_endpoint(e).unwrap_err().to_string();
    assert!(
        msg("a b").ends_with("try: \"https://a%20b:6443\""),
        "{}",
        msg("a b")
    );
    assert!(
        msg("a%41").ends_with("try: \"https://aA:6443\""),
        "{}",
        msg("a%41")
    );
    assert!(
        msg("%zz").ends_with("try: \"https://%25zz:6443\""),
        "{}",
        msg("%zz")
    );
    assert!(
        msg("1.2.3.4:6443").ends_with("try: \"https://1.2.3.4:6443\""),
        "{}",
        msg("1.2.3.4:6443")
    );
    assert!(
        msg("lab:6443").ends_with("try: \"https:6443\""),
        "{}",
        msg("lab:6443")
    );
    assert!(
        msg("http://lab/x").ends_with("try: \"https://lab:6443/x\""),
        "{}",
        msg("http://lab/x")
    );
}

/// `https:/path` has no authority; Go remembers that (`OmitHost`) and
/// prints no `//` back. A registry mirror endpoint document shows it.
#[test]
fn url_without_authority_prints_without_slashes() {
    let mut o = Options::default();
    o.contract = Contract::V1_12;
    o.secrets = Some(test_bundle());
    o.add_registry_mirror("docker.io", &["https:/mirror"]);
    let text = Input::new("c", "https://c:6443", "1.30.0", o)
        .unwrap()
        .render(MachineType::Worker)
        .unwrap();
    assert!(text.contains("- url: https:/mirror\n"), "{text}");
}

/// `NewInput` picks IPv6 pod and service networks when the whole endpoint
/// parses with `netip.ParseAddr` as IPv6, which takes a zone too
/// (`pkg/machinery/config/generate/generate.go`).
#[test]
fn bare_ipv6_with_zone_selects_ipv6_networks() {
    for (endpoint, v6) in [
        ("fe80::1%eth0", true),
        ("fd00::ffff:10.0.0.1", true),
        ("fe80::1%", false),
        ("10.0.0.1", false),
    ] {
        let text = input(endpoint, Contract::V1_10)
            .render(MachineType::Worker)
            .unwrap();
        assert_eq!(text.contains("- fc00:db8:10::/56"), v6, "{endpoint}");
        assert_eq!(text.contains("- 10.244.0.0/16"), !v6, "{endpoint}");
    }
}
