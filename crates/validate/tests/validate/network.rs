//! Network kinds, cases of upstream `types/network/*_test.go`.

use super::*;

const ADDRS_ROUTES: &str = "addresses:\n  - address: 192.168.1.100/24\n  - address: fd00::1/64\nroutes:\n  - destination: 10.3.5.0/24\n    gateway: 10.3.5.1\n  - gateway: fe80::1\n";
const BAD_ADDRS: &str = "addresses:\n  - address: \"\"\n  - address: 0.0.0.0/0\n";

mod link_config {
    use super::*;

    kind_cases! {
        empty: "kind: LinkConfig\n" => ["name: a link name is required"];
        invalid_addresses: format!("kind: LinkConfig\nname: enp0s2\n{BAD_ADDRS}")
            => ["addresses[0].address: an address is required", "addresses[1].address: 0.0.0.0 is the unspecified"];
        valid: format!("kind: LinkConfig\nname: enp0s2\nmtu: 9000\nup: true\n{ADDRS_ROUTES}") => [];
        // talgen only: unspecified route gateway.
        unspecified_route_gateway: "kind: LinkConfig\nname: enp0s2\nroutes:\n  - gateway: 0.0.0.0\n"
            => ["routes[0].gateway"];
    }
}

mod dummy_link_config {
    use super::*;

    kind_cases! {
        empty: "kind: DummyLinkConfig\n" => ["name"];
        invalid_addresses: format!("kind: DummyLinkConfig\nname: dummy1\n{BAD_ADDRS}")
            => ["addresses[0]", "addresses[1]"];
        valid: format!("kind: DummyLinkConfig\nname: dummy1\nhardwareAddr: 2e:3c:4d:5e:6f:70\n{ADDRS_ROUTES}") => [];
    }
}

mod bridge_config {
    use super::*;

    kind_cases! {
        empty: "kind: BridgeConfig\n" => ["name"];
        valid: format!("kind: BridgeConfig\nname: br0\nlinks: [eth0, eth1]\nstp:\n  enabled: true\n{ADDRS_ROUTES}") => [];
    }
}

mod bond_config {
    use super::*;

    const LINKS: &str = "kind: BondConfig\nname: bond0\nlinks: [eth0, eth1]\n";

    kind_cases! {
        empty: "kind: BondConfig\n" => ["name", "at least one link", "bond mode is required"];
        no_links: "kind: BondConfig\nname: bond0\nbondMode: active-backup\n" => ["at least one link"];
        no_mode: LINKS => ["bondMode: a bond mode is required"];
        primary_not_in_links: format!("{LINKS}bondMode: active-backup\nprimary: eth2\n")
            => ["primary link \"eth2\" is not one of"];
        primary_empty: format!("{LINKS}bondMode: active-backup\nprimary: \"\"\n") => ["primary link name is empty"];
        primary_in_unsupported_mode: format!("{LINKS}bondMode: balance-rr\nprimary: eth0\n")
            => ["\"balance-rr\" bond has no primary"];
        primary_reselect_without_primary: format!("{LINKS}bondMode: active-backup\nprimaryReselect: always\n")
            => [] warn ["primaryReselect"];
        primary_with_primary_reselect: format!("{LINKS}bondMode: active-backup\nprimary: eth0\nprimaryReselect: always\n") => [];
        primary_reselect_in_unsupported_mode_is_not_warned_about:
            format!("{LINKS}bondMode: broadcast\nprimaryReselect: always\n") => [];
        valid: format!("{LINKS}bondMode: 802.3ad\n{ADDRS_ROUTES}")
            => [] warn ["miimon", "updelay", "downdelay"];
    }
}

mod vlan_config {
    use super::*;

    kind_cases! {
        empty: "kind: VLANConfig\n" => ["name", "vlanID", "parent"];
        invalid_addresses: format!("kind: VLANConfig\nname: enx8.2\nvlanID: 2\nparent: enx8\n{BAD_ADDRS}")
            => ["addresses[0]", "addresses[1]"];
        no_vlan_id: "kind: VLANConfig\nname: enx9.0\nparent: enx9\n" => ["vlanID"];
        high_vlan_id: "kind: VLANConfig\nname: enx9.5000\nparent: enx9\nvlanID: 5000\n" => ["vlanID"];
        valid: format!("kind: VLANConfig\nname: enx8.2\nvlanID: 2\nparent: enx8\n{ADDRS_ROUTES}") => [];
    }
}

mod vrf_config {
    use super::*;

    kind_cases! {
        empty: "kind: VRFConfig\n" => ["name", "reserved table"];
        reject_reserved_table_id_0: "kind: VRFConfig\nname: vrf0\n" => ["reserved table"];
        reject_reserved_table_id_253: "kind: VRFConfig\nname: vrf0\ntable: default\n" => ["reserved table \"default\""];
        reject_reserved_table_id_254: "kind: VRFConfig\nname: vrf0\ntable: main\n" => ["reserved table \"main\""];
        reject_reserved_table_id_255: "kind: VRFConfig\nname: vrf0\ntable: local\n" => ["reserved table \"local\""];
        valid: format!("kind: VRFConfig\nname: vrf0\nlinks: [eth0, eth1]\ntable: \"123\"\n{ADDRS_ROUTES}") => [];
    }
}

mod veth_config {
    use super::*;

    fn veth(name: &str, peer: &str) -> String {
        format!("kind: VethConfig\nname: \"{name}\"\npeer:\n  name: \"{peer}\"\n")
    }

    kind_cases! {
        empty_peer: veth("veth0", "") => ["peer.name: a name is required"];
        long_endpoint: veth(&"a".repeat(16), "veth1") => ["name: \"aaaaaaaaaaaaaaaa\" is longer than 15 bytes"];
        invalid_peer: veth("veth0", "veth/1") => ["peer.name: \"veth/1\" contains '/' or ':'"];
        valid: veth("veth0", "veth1") => [];
    }

    /// Both ends sharing one name (empty or not) is already a link conflict
    /// the loader rejects, before validation runs.
    #[test]
    fn empty_and_same_name() {
        for (name, peer) in [("", ""), ("veth0", "veth0")] {
            let yaml = format!("apiVersion: v1alpha1\n{}", veth(name, peer));
            let err = validate_str(&yaml, Mode::Cloud, &Options::default()).unwrap_err();
            assert!(err.to_string().contains("VethConfig"), "{err}");
        }
    }
}

mod wireguard_config {
    use super::*;

    kind_cases! {
        empty: "kind: WireguardConfig\n" => ["name", "privateKey: a private key is required"];
        invalid_private_key: "kind: WireguardConfig\nname: wg0\nprivateKey: invalid-key\n"
            => ["privateKey: the private key is invalid"];
        invalid_peer_public_key: "kind: WireguardConfig\nname: wg0\nprivateKey: 0CWDz05gWWwVAwr4i5Zaz41k/FgIVYJmCsgAfLHUakU=\npeers:\n  - publicKey: invalid-peer-key\n"
            => ["peers[0].publicKey"];
        invalid_peer_preshared_key: "kind: WireguardConfig\nname: wg0\nprivateKey: OJ34O6J1z4ZZB+t16c+vYrzIrKddxyU3Z2eLhwYzqE8=\npeers:\n  - publicKey: fP+xJZvUA5n1Pi/f5wcPiV6tZ6fHwqcGaXe98NfEgkE=\n    presharedKey: invalid-preshared-key\n"
            => ["peers[0].presharedKey"];
        valid: format!("kind: WireguardConfig\nname: wg0\nprivateKey: OJ34O6J1z4ZZB+t16c+vYrzIrKddxyU3Z2eLhwYzqE8=\nlistenPort: 51820\nfirewallMark: 1\npeers:\n  - publicKey: 735jkJdcVDninU5PzLJ/S+bfN6Q3QOk6svWrVLMJQAk=\n    allowedIPs: [192.168.1.0/24]\n  - publicKey: uvdlJNva1X8/OCOZM+0gGT4Yu9x20odd3AWbbQUF7nM=\n    presharedKey: 6j4UMxwszrHVZZUjY8/SFsZMjgaHkxV7yp9Tz05btho=\n    endpoint: 10.3.4.3:2222\n{ADDRS_ROUTES}") => [];
    }
}

mod link_alias_config {
    use super::*;

    kind_cases! {
        empty: "kind: LinkAliasConfig\n" => ["name", "selector.match"];
        no_selector: "kind: LinkAliasConfig\nname: net0\n" => ["selector.match"];
        invalid_pattern: "kind: LinkAliasConfig\nname: net%s\nselector:\n  match: link.type == 1\n" => ["name: \"net%s\""];
        pattern_without_prefix: "kind: LinkAliasConfig\nname: \"%d\"\nselector:\n  match: link.type == 1\n" => ["name"];
        valid_pattern: "kind: LinkAliasConfig\nname: net%d\nselector:\n  match: link.type == 1\n" => [];
        valid: "kind: LinkAliasConfig\nname: net0\nselector:\n  match: mac(link.permanent_addr) == \"00:1a:2b:3c:4d:5e\"\n" => [];
    }
}

mod vips {
    use super::*;

    kind_cases! {
        layer2_vip_empty: "kind: Layer2VIPConfig\n" => ["name: the VIP address", "link"];
        layer2_vip_no_link_name: "kind: Layer2VIPConfig\nname: 1.1.1.1\n" => ["link"];
        layer2_vip_invalid_ip: "kind: Layer2VIPConfig\nname: net4\nlink: net0\n" => ["name: \"net4\" is not an IP address"];
        layer2_vip_valid: "kind: Layer2VIPConfig\nname: 1.1.1.1\nlink: net45\n" => [];
        hcloud_vip_empty: "kind: HCloudVIPConfig\n" => ["name", "link", "apiToken"];
        hcloud_vip_no_link_name_and_token: "kind: HCloudVIPConfig\nname: 1.1.1.1\n" => ["link", "apiToken"];
        hcloud_vip_invalid_ip: "kind: HCloudVIPConfig\nname: net32\nlink: net32\napiToken: foo\n" => ["name: \"net32\""];
        hcloud_vip_valid: "kind: HCloudVIPConfig\nname: 1.1.1.1\nlink: net33\napiToken: my-secret-token\n" => [];
    }
}

mod resolver_config {
    use super::*;

    kind_cases! {
        empty: "kind: ResolverConfig\n" => [];
        forward_kube_dns_to_host_true_but_host_dns_enabled_false:
            "kind: ResolverConfig\nhostDNS:\n  enabled: false\n  forwardKubeDNSToHost: true\n" => ["hostDNS.forwardKubeDNSToHost"];
        resolve_member_names_true_but_host_dns_enabled_false:
            "kind: ResolverConfig\nhostDNS:\n  enabled: false\n  resolveMemberNames: true\n" => ["hostDNS.resolveMemberNames"];
        host_dns_config_valid:
            "kind: ResolverConfig\nhostDNS:\n  enabled: true\n  forwardKubeDNSToHost: true\n  resolveMemberNames: false\n" => [];
    }

    // Encrypted DNS needs host DNS (a container-wide rule), so these cases
    // enable it and keep only the document's own problems.
    const HOST_DNS: &str = "hostDNS:\n  enabled: true\n";

    kind_cases! {
        dot_mixed_with_plain_dns_no_warning: format!("kind: ResolverConfig\n{HOST_DNS}nameservers:\n  - address: 9.9.9.9\n    protocol: DoT\n    tlsServerName: dns.quad9.net\n  - address: 8.8.8.8\n") => [];
        dot_only_warns_about_clock_dependency: format!("kind: ResolverConfig\n{HOST_DNS}nameservers:\n  - address: 9.9.9.9\n    protocol: DoT\n    tlsServerName: dns.quad9.net\n  - address: 1.1.1.1\n    protocol: DoT\n    tlsServerName: cloudflare-dns.com\n")
            => [] warn ["nameservers: every nameserver is encrypted"];
        tls_server_name_without_an_address: "kind: ResolverConfig\nnameservers:\n  - tlsServerName: dns.quad9.net\n"
            => ["nameservers[0].tlsServerName: plain DNS", "nameservers[0].address"];
        dot_without_tls_server_name: format!("kind: ResolverConfig\n{HOST_DNS}nameservers:\n  - address: 9.9.9.9\n    protocol: DoT\n")
            => ["DoT needs a TLS server name"] warn ["every nameserver"];
        do53_with_tls_server_name_set: "kind: ResolverConfig\nnameservers:\n  - address: 8.8.8.8\n    protocol: Do53\n    tlsServerName: dns.google\n"
            => ["plain DNS (Do53) takes no TLS server name"];
        doh_with_tls_server_name_set: format!("kind: ResolverConfig\n{HOST_DNS}nameservers:\n  - address: 1.1.1.1\n    protocol: DoH\n    tlsServerName: cloudflare-dns.com\n  - address: 8.8.8.8\n") => [];
        doh_without_tls_server_name: format!("kind: ResolverConfig\n{HOST_DNS}nameservers:\n  - address: 1.1.1.1\n    protocol: DoH\n")
            => ["DoH needs a TLS server name"] warn ["every nameserver"];
        mixed_dot_and_doh_only_warns_about_clock_dependency: format!("kind: ResolverConfig\n{HOST_DNS}nameservers:\n  - address: 9.9.9.9\n    protocol: DoT\n    tlsServerName: dns.quad9.net\n  - address: 1.1.1.1\n    protocol: DoH\n    tlsServerName: cloudflare-dns.com\n")
            => [] warn ["every nameserver"];
    }
}

mod time_sync_config {
    use super::*;

    kind_cases! {
        empty: "kind: TimeSyncConfig\n" => [];
        both_ntp_and_ptp_set: "kind: TimeSyncConfig\nntp:\n  servers: [pool.ntp.org]\nptp:\n  devices: [/dev/ptp0]\n" => ["ntp and ptp exclude each other"];
        negative_boot_timeout: "kind: TimeSyncConfig\nbootTimeout: -1s\n" => ["bootTimeout"];
        valid_ntp_config: "kind: TimeSyncConfig\nbootTimeout: 1s\nntp:\n  servers: [pool.ntp.org]\n" => [];
        valid_ntp_config_with_nts: "kind: TimeSyncConfig\nntp:\n  servers: [time.cloudflare.com]\n  useNTS: true\n" => [];
        nts_with_ip_address_is_invalid: "kind: TimeSyncConfig\nntp:\n  servers: [192.0.2.1]\n  useNTS: true\n" => ["ntp.servers: \"192.0.2.1\""];
    }
}

mod routing_rule_config {
    use super::*;

    fn rule(name: &str, body: &str) -> String {
        format!("kind: RoutingRuleConfig\nname: \"{name}\"\n{body}")
    }

    kind_cases! {
        empty: rule("", "") => ["name: the rule priority", "is not a priority", "between 1 and 32765", "table: a rule needs"];
        fw_mask_without_fw_mark: rule("100", "table: \"100\"\nfwMask: 65280\n") => ["fwMask needs fwMark"];
        missing_name: rule("", "src: 10.0.0.0/8\ntable: \"100\"\n") => ["name: the rule priority", "is not a priority", "between 1 and 32765"];
        reserved_priority_32766: rule("32766", "src: 10.0.0.0/8\ntable: \"100\"\n") => ["between 1 and 32765, except [0, 32500, 32766, 32767]"];
        reserved_priority_32767: rule("32767", "src: 10.0.0.0/8\ntable: \"100\"\n") => ["between 1 and 32765"];
        valid_priority_1: rule("1", "src: 10.0.0.0/8\ntable: \"100\"\n") => [];
        valid_priority_32765: rule("32765", "src: 10.0.0.0/8\ntable: \"100\"\n") => [];
        no_table_no_action: rule("100", "") => ["table: a rule needs a table or an action"];
        valid_with_table_only: rule("100", "src: 10.0.0.0/8\ntable: \"100\"\n") => [];
        valid_with_blackhole_action: rule("100", "src: 10.0.0.0/8\naction: blackhole\n") => [];
        valid_with_all_fields: rule("100", "src: 10.0.0.0/8\ndst: 192.168.0.0/16\ntable: \"100\"\naction: unicast\niifName: eth0\noifName: eth1\nfwMark: 256\nfwMask: 65280\n") => [];
    }
}

mod misc {
    use super::*;

    kind_cases! {
        blackhole_route_empty: "kind: BlackholeRouteConfig\n" => ["name: the destination prefix", "is not an address prefix"];
        blackhole_route_invalid: "kind: BlackholeRouteConfig\nname: 10.0.0.1\n" => ["\"10.0.0.1\" is not an address prefix"];
        blackhole_route_valid: "kind: BlackholeRouteConfig\nname: 10.0.0.0/8\nmetric: 100\n" => [];
        static_host_empty: "kind: StaticHostConfig\n" => ["name: the host's IP", "is not an IP address", "hostnames"];
        static_host_valid: "kind: StaticHostConfig\nname: 10.5.0.2\nhostnames: [example.org]\n" => [];
        dhcp4_empty: "kind: DHCPv4Config\n" => ["name"];
        dhcp4_duid_raw_without_duid: "kind: DHCPv4Config\nname: eth0\nduidRaw: 00:01:02\n" => ["duidRaw needs clientIdentifier"];
        dhcp4_duid_without_duid_raw: "kind: DHCPv4Config\nname: eth0\nclientIdentifier: duid\n" => ["clientIdentifier: duid needs duidRaw"];
        dhcp4_valid: "kind: DHCPv4Config\nname: eth0\nclientIdentifier: duid\nduidRaw: 00:01:02\n" => [];
        dhcp6_empty: "kind: DHCPv6Config\n" => ["name"];
        dhcp6_valid: "kind: DHCPv6Config\nname: eth0\nclientIdentifier: mac\n" => [];
        ethernet_empty: "kind: EthernetConfig\n" => ["name"];
        ethernet_valid: "kind: EthernetConfig\nname: enp0s2\nrings:\n  rx: 256\n" => [];
        tcp_probe_empty: "kind: TCPProbeConfig\n" => ["name", "endpoint"];
        tcp_probe_negative: "kind: TCPProbeConfig\nname: p\nendpoint: 1.2.3.4:80\ntimeout: -1s\ninterval: -1s\nfailureThreshold: -1\n"
            => ["timeout", "interval", "failureThreshold"];
        tcp_probe_valid: "kind: TCPProbeConfig\nname: p\nendpoint: 1.2.3.4:80\ntimeout: 5s\n" => [];
        http_probe_empty: "kind: HTTPProbeConfig\n" => ["name", "url: an HTTP URL is required"];
        http_probe_bad_scheme: "kind: HTTPProbeConfig\nname: p\nurl: ftp://example.com/\n" => ["the scheme \"ftp\""];
        http_probe_no_host: "kind: HTTPProbeConfig\nname: p\nurl: http:/path\n" => ["http(s)://host"];
        http_probe_valid: "kind: HTTPProbeConfig\nname: p\nurl: https://example.com/healthz\n" => [];
    }
}

mod network_rule_config {
    use super::*;

    kind_cases! {
        no_ports: "kind: NetworkRuleConfig\nname: r\nportSelector:\n  protocol: tcp\n" => ["portSelector.ports"];
        overlapping_ports: "kind: NetworkRuleConfig\nname: r\nportSelector:\n  ports: [80, 70-90]\n  protocol: tcp\n" => ["80 overlaps 70-90"];
        same_low_port: "kind: NetworkRuleConfig\nname: r\nportSelector:\n  ports: [80, 80-90]\n  protocol: tcp\n" => ["overlaps"];
        inverted_range: "kind: NetworkRuleConfig\nname: r\nportSelector:\n  ports: [90-80]\n  protocol: tcp\n" => ["90-80"];
        valid: "kind: NetworkRuleConfig\nname: r\nportSelector:\n  ports: [53, 8000-9000]\n  protocol: udp\ningress:\n  - subnet: 10.0.0.0/8\n    except: 10.1.0.0/16\n" => [];
    }
}

mod bgp_instance_config {
    use super::*;

    kind_cases! {
        empty: "kind: BGPInstanceConfig\n" => ["name", "localASN"] warn ["neighbors"];
        ipv6_router_id: "kind: BGPInstanceConfig\nname: b\nlocalASN: 65000\nrouterID: fd00::1\nneighbors:\n  - address: 10.0.0.1\n    peerASN: 65001\n"
            => ["routerID"];
        neighbor_needs_address_or_link: "kind: BGPInstanceConfig\nname: b\nlocalASN: 65000\nneighbors:\n  - peerASN: 65001\n  - address: 10.0.0.1\n    link: eth0\n"
            => ["neighbors[0]: set exactly one", "neighbors[1]: set exactly one"];
        duplicate_neighbor: "kind: BGPInstanceConfig\nname: b\nlocalASN: 65000\nneighbors:\n  - link: eth0\n  - link: eth0\n"
            => ["neighbors[1]: neighbor \"eth0\" is listed twice"];
        bfd_with_vrf: "kind: BGPInstanceConfig\nname: b\nvrf: red\nlocalASN: 65000\nneighbors:\n  - link: eth0\n    bfd:\n      transmitInterval: -1s\n"
            => ["neighbors[0].bfd: BFD is not available", "bfd.transmitInterval"];
        import_routes: "kind: BGPInstanceConfig\nname: b\nlocalASN: 65000\nneighbors:\n  - link: eth0\nimportRoutes:\n  - bgpInstance: b\n    prefixes: [10.0.0.1/8]\n  - bgpInstance: c\n    prefixes: [10.0.0.0/8, 10.1.0.0/16]\n  - bgpInstance: c\n"
            => ["importRoutes[0].bgpInstance: an instance cannot import its own", "importRoutes[0].prefixes[0]: 10.0.0.1/8 has host bits",
                "importRoutes[1].prefixes[1]: 10.1.0.0/16 overlaps prefixes[0]",
                "importRoutes[2].prefixes: at least one prefix", "importRoutes[2].bgpInstance: routes of \"c\" are imported twice"];
        valid: "kind: BGPInstanceConfig\nname: b\nlocalASN: 65000\nrouterID: 10.0.0.5\nneighbors:\n  - address: 10.0.0.1\n    peerASN: 65001\nimportRoutes:\n  - bgpInstance: c\n    prefixes: [10.0.0.0/8]\n" => [];
    }
}
