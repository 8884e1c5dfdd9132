//! Per-kind encoding rules that Talos's own examples do not reach: how Go
//! writes back enum fields kept as text, file modes and hardware addresses
//! after a load. Each case loads a small document and checks the exact bytes
//! Talos's encoder would write for the value it decoded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use talgen_config::load;

/// Loads `input` and asserts that encoding gives exactly `want`.
fn reencodes(input: &str, want: &str) {
    let config = load(input).unwrap_or_else(|e| panic!("load failed: {e}\n{input}"));
    let got = config.encode().unwrap();
    assert_eq!(got, want, "\n{}", talgen_testutil::diff(want, &got));
}

/// Loads `input` and asserts that it encodes unchanged.
fn unchanged(input: &str) {
    reencodes(input, input);
}

const HEAD: &str = "apiVersion: v1alpha1\n";

#[test]
fn etc_file_mode_is_an_unquoted_octal_literal() {
    unchanged(&format!(
        "{HEAD}kind: EtcFileConfig\nname: chrony.conf\nmode: 0o600\ncontents: |\n    server pool\n"
    ));
    // A decimal mode is the same number, written in octal.
    reencodes(
        &format!("{HEAD}kind: EtcFileConfig\nname: a\nmode: 493\ncontents: x\n"),
        &format!("{HEAD}kind: EtcFileConfig\nname: a\nmode: 0o755\ncontents: x\n"),
    );
}

#[test]
fn route_table_unspec_is_omitted_and_names_are_canonical() {
    let input = format!(
        "{HEAD}kind: DummyLinkConfig\nname: dummy1\nroutes:\n    - gateway: 10.1.0.1\n      table: UNSPEC\n    - gateway: 10.1.0.2\n      table: Local\n    - gateway: 10.1.0.3\n      table: 42\n"
    );
    let want = format!(
        "{HEAD}kind: DummyLinkConfig\nname: dummy1\nroutes:\n    - gateway: 10.1.0.1\n    - gateway: 10.1.0.2\n      table: local\n    - gateway: 10.1.0.3\n      table: \"42\"\n"
    );
    reencodes(&input, &want);
}

#[test]
fn routing_rule_table_is_always_written_and_unspec_action_omitted() {
    reencodes(
        &format!(
            "{HEAD}kind: RoutingRuleConfig\nname: \"20\"\ndst: 192.168.0.0/16\naction: Unspec\n"
        ),
        &format!(
            "{HEAD}kind: RoutingRuleConfig\nname: \"20\"\ndst: 192.168.0.0/16\ntable: unspec\n"
        ),
    );
    reencodes(
        &format!("{HEAD}kind: RoutingRuleConfig\nname: \"21\"\ntable: Default\naction: PROHIBIT\n"),
        &format!("{HEAD}kind: RoutingRuleConfig\nname: \"21\"\ntable: default\naction: prohibit\n"),
    );
}

#[test]
fn vrf_table_defaults_to_unspec() {
    reencodes(
        &format!("{HEAD}kind: VRFConfig\nname: vrf-red\n"),
        &format!("{HEAD}kind: VRFConfig\nname: vrf-red\ntable: unspec\n"),
    );
}

#[test]
fn dns_protocol_is_matched_ignoring_case_and_do53_omitted() {
    reencodes(
        &format!(
            "{HEAD}kind: ResolverConfig\nnameservers:\n    - address: 9.9.9.9\n      protocol: DO53\n    - address: 9.9.9.10\n      protocol: doh\n"
        ),
        &format!(
            "{HEAD}kind: ResolverConfig\nnameservers:\n    - address: 9.9.9.9\n    - address: 9.9.9.10\n      protocol: DoH\n"
        ),
    );
}

#[test]
fn unknown_go_enum_name_is_rejected() {
    let err = load(&format!(
        "{HEAD}kind: ResolverConfig\nnameservers:\n    - address: 9.9.9.9\n      protocol: dns-over-quic\n"
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("dns-over-quic"), "{err}");
}

#[test]
fn lower_case_link_enums_are_written_lower_case() {
    reencodes(
        &format!(
            "{HEAD}kind: BondConfig\nname: bond1\nlinks:\n    - eth1\nbondMode: 802.3AD\nlacpRate: Fast\n"
        ),
        &format!(
            "{HEAD}kind: BondConfig\nname: bond1\nlinks:\n    - eth1\nbondMode: 802.3ad\nlacpRate: fast\n"
        ),
    );
    reencodes(
        &format!(
            "{HEAD}kind: VLANConfig\nname: vlan5\nvlanID: 5\nvlanMode: 802.1Q\nparent: eth1\n"
        ),
        &format!(
            "{HEAD}kind: VLANConfig\nname: vlan5\nvlanID: 5\nvlanMode: 802.1q\nparent: eth1\n"
        ),
    );
    reencodes(
        &format!("{HEAD}kind: DHCPv6Config\nname: eth1\nclientIdentifier: DUID\n"),
        &format!("{HEAD}kind: DHCPv6Config\nname: eth1\nclientIdentifier: duid\n"),
    );
    reencodes(
        &format!(
            "{HEAD}kind: EthernetConfig\nname: eth1\nwakeOnLan:\n    - Unicast\n    - MAGIC\n"
        ),
        &format!(
            "{HEAD}kind: EthernetConfig\nname: eth1\nwakeOnLan:\n    - unicast\n    - magic\n"
        ),
    );
}

#[test]
fn hardware_address_is_hex_with_colons_dropped() {
    reencodes(
        &format!("{HEAD}kind: DummyLinkConfig\nname: dummy2\nhardwareAddr: 0A1B:2C3D:4E5F\n"),
        &format!("{HEAD}kind: DummyLinkConfig\nname: dummy2\nhardwareAddr: 0a:1b:2c:3d:4e:5f\n"),
    );
    assert!(load(&format!(
        "{HEAD}kind: DummyLinkConfig\nname: d\nhardwareAddr: a:bb\n"
    ))
    .is_err());
    assert!(load(&format!(
        "{HEAD}kind: DummyLinkConfig\nname: d\nhardwareAddr: +f\n"
    ))
    .is_err());
}

#[test]
fn filesystem_type_none_leaves_out_the_filesystem() {
    reencodes(
        &format!(
            "{HEAD}kind: UserVolumeConfig\nname: scratch\nprovisioning:\n    diskSelector:\n        match: system_disk\nfilesystem:\n    type: NONE\n"
        ),
        &format!(
            "{HEAD}kind: UserVolumeConfig\nname: scratch\nprovisioning:\n    diskSelector:\n        match: system_disk\n"
        ),
    );
    reencodes(
        &format!(
            "{HEAD}kind: UserVolumeConfig\nname: scratch\nprovisioning:\n    diskSelector:\n        match: system_disk\nfilesystem:\n    type: Ext4\n"
        ),
        &format!(
            "{HEAD}kind: UserVolumeConfig\nname: scratch\nprovisioning:\n    diskSelector:\n        match: system_disk\nfilesystem:\n    type: ext4\n"
        ),
    );
    reencodes(
        &format!("{HEAD}kind: ExternalVolumeConfig\nname: nfs\nmount:\n    virtiofs:\n        tag: nfs\n"),
        &format!(
            "{HEAD}kind: ExternalVolumeConfig\nname: nfs\nfilesystemType: none\nmount:\n    virtiofs:\n        tag: nfs\n"
        ),
    );
}

#[test]
fn user_volume_type_is_written_lower_case() {
    reencodes(
        &format!("{HEAD}kind: UserVolumeConfig\nname: logs\nvolumeType: Directory\n"),
        &format!("{HEAD}kind: UserVolumeConfig\nname: logs\nvolumeType: directory\n"),
    );
}

#[test]
fn encryption_provider_is_canonical_and_none_counts_as_empty() {
    reencodes(
        &format!(
            "{HEAD}kind: RawVolumeConfig\nname: blob\nprovisioning:\n    diskSelector:\n        match: system_disk\n    maxSize: 1GiB\nencryption:\n    provider: Luks2\n    keys:\n        - slot: 1\n          tpm: {{}}\n"
        ),
        &format!(
            "{HEAD}kind: RawVolumeConfig\nname: blob\nprovisioning:\n    diskSelector:\n        match: system_disk\n    maxSize: 1GiB\nencryption:\n    provider: luks2\n    keys:\n        - slot: 1\n          tpm: {{}}\n"
        ),
    );
    reencodes(
        &format!("{HEAD}kind: RawVolumeConfig\nname: blob\nencryption:\n    provider: none\n"),
        &format!("{HEAD}kind: RawVolumeConfig\nname: blob\n"),
    );
}

#[test]
fn raid_and_lvm_enums_write_their_zero_names() {
    reencodes(
        &format!(
            "{HEAD}kind: RAIDArrayConfig\nname: md1\nmetadata: 1.0\nprovisioning:\n    volumeSelector:\n        match: \"true\"\n"
        ),
        &format!(
            "{HEAD}kind: RAIDArrayConfig\nname: md1\nlevel: raid1\nprovisioning:\n    volumeSelector:\n        match: \"true\"\n"
        ),
    );
    reencodes(
        &format!("{HEAD}kind: LVMLogicalVolumeConfig\nname: lv1\ntype: RAID10\nprovisioning:\n    volumeGroup: vg0\n"),
        &format!("{HEAD}kind: LVMLogicalVolumeConfig\nname: lv1\ntype: raid10\nprovisioning:\n    volumeGroup: vg0\n"),
    );
    reencodes(
        &format!("{HEAD}kind: LVMLogicalVolumeConfig\nname: lv1\nprovisioning:\n    volumeGroup: vg0\n"),
        &format!("{HEAD}kind: LVMLogicalVolumeConfig\nname: lv1\ntype: linear\nprovisioning:\n    volumeGroup: vg0\n"),
    );
}

#[test]
fn url_path_and_fragment_are_re_escaped_like_go() {
    reencodes(
        &format!("{HEAD}kind: HTTPProbeConfig\nname: web\nurl: HTTP://Web.example/a b/é?q=a b#top part\n"),
        &format!("{HEAD}kind: HTTPProbeConfig\nname: web\nurl: http://Web.example/a%20b/%C3%A9?q=a b#top%20part\n"),
    );
    unchanged(&format!(
        "{HEAD}kind: HTTPProbeConfig\nname: web\nurl: https://web.example/a%20b;v=1/(x)\n"
    ));
}

#[test]
fn absent_rule_protocol_is_written_as_go_prints_its_zero() {
    // nethelpers.Protocol has no name for 0; enumer prints `Protocol(0)`.
    reencodes(
        &format!("{HEAD}kind: NetworkRuleConfig\nname: ssh\nportSelector:\n    ports:\n        - 22\n"),
        &format!(
            "{HEAD}kind: NetworkRuleConfig\nname: ssh\nportSelector:\n    ports:\n        - 22\n    protocol: Protocol(0)\ningress: []\n"
        ),
    );
    // Talos cannot load that text back; talgen does, so its output reloads.
    unchanged(&format!(
        "{HEAD}kind: NetworkRuleConfig\nname: ssh\nportSelector:\n    ports:\n        - 22\n    protocol: Protocol(0)\ningress: []\n"
    ));
    unchanged(&format!(
        "{HEAD}kind: NetworkRuleConfig\nname: ssh\nportSelector:\n    ports:\n        - 22\n        - 8000-8080\n    protocol: tcp\ningress:\n    - subnet: 10.0.0.0/8\n"
    ));
}

/// Issue 10: an address keeps its IPv6 zone as Go's `netip.ParseAddr` does
/// (hex canonical, zone as written); a prefix refuses one as
/// `netip.ParsePrefix` does.
#[test]
fn addresses_keep_ipv6_zones_and_prefixes_refuse_them() {
    reencodes(
        &format!("{HEAD}kind: DummyLinkConfig\nname: dummy1\nroutes:\n    - gateway: FE80:0::1%Eth0.5\n      source: fe80::2%2\n"),
        &format!("{HEAD}kind: DummyLinkConfig\nname: dummy1\nroutes:\n    - gateway: fe80::1%Eth0.5\n      source: fe80::2%2\n"),
    );
    for bad in ["10.0.0.1%eth0", "fe80::1%", "%eth0"] {
        assert!(
            load(&format!(
                "{HEAD}kind: DummyLinkConfig\nname: d\nroutes:\n    - gateway: \"{bad}\"\n"
            ))
            .is_err(),
            "{bad}"
        );
    }
    let err = load(&format!(
        "{HEAD}kind: DummyLinkConfig\nname: d\naddresses:\n    - address: fe80::1%eth0/64\n"
    ))
    .unwrap_err();
    assert!(err.to_string().contains("fe80::1%eth0/64"), "{err}");
}
