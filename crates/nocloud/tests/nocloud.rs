#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Integration tests for talgen-nocloud: network-config against the shapes
//! of Talos's own examples, property round trips, SMBIOS splitting.

mod network_config {
    use std::net::IpAddr;

    use talgen_nocloud::{InterfaceKind, NetworkVersion, NodeNetwork};

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    // Same structure as Talos's testdata/in-v1.yaml (written here in our own
    // text; the test must not read the upstream tree).
    const V1_TWO_NICS: &str = "version: 1
config:
  - type: physical
    name: eth0
    mac_address: '68:05:ca:b8:f1:f7'
    subnets:
    - type: static
      address: '192.168.1.11'
      netmask: '255.255.255.0'
      gateway: '192.168.1.1'
    - type: static6
      address: '2001:2:3:4:5:6:7:f7/64'
      gateway: 'fe80::1'
  - type: physical
    name: eth1
    mac_address: '68:05:ca:b8:f1:f9'
    subnets:
    - type: static
      address: '192.168.2.11'
      netmask: '255.255.255.0'
      gateway: '192.168.2.1'
  - type: nameserver
    address: ['192.168.1.1']
    search: ['lan']
";

    #[test]
    fn v1_example_parses_like_talos_reads_it() {
        let net = NodeNetwork::from_network_config(V1_TWO_NICS).unwrap();
        assert_eq!(net.interfaces.len(), 2);
        let eth0 = &net.interfaces[0];
        assert_eq!(eth0.name, "eth0");
        assert_eq!(
            eth0.kind,
            InterfaceKind::Physical {
                mac: Some("68:05:ca:b8:f1:f7".parse().unwrap())
            }
        );
        assert_eq!(
            eth0.addresses
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["192.168.1.11/24", "2001:2:3:4:5:6:7:f7/64"]
        );
        assert_eq!(eth0.gateway4, Some("192.168.1.1".parse().unwrap()));
        assert_eq!(eth0.gateway6, Some("fe80::1".parse().unwrap()));
        assert_eq!(net.nameservers, vec![ip("192.168.1.1")]);
        assert_eq!(net.search, vec!["lan"]);
        for v in [NetworkVersion::V1, NetworkVersion::V2] {
            let text = net.to_network_config(v).unwrap();
            assert_eq!(
                NodeNetwork::from_network_config(&text).unwrap(),
                net,
                "{text}"
            );
        }
    }

    // Same structure as Talos's testdata/in-v1-pnap.yaml.
    const V1_BOND_VLAN: &str = "version: 1
config:
- type: physical
  name: eno1np0
  mac_address: \"3c:ec:ef:e0:45:28\"
  mtu: 9000
- type: physical
  name: eno2np1
  mac_address: \"3c:ec:ef:e0:45:29\"
  mtu: 9000
- type: bond
  name: bond0
  mac_address: \"3c:ec:ef:e0:45:28\"
  mtu: 9000
  bond_interfaces: [eno1np0, eno2np1]
  params:
    bond-lacp-rate: fast
    bond-miimon: 100
    bond-mode: 802.3ad
    bond-xmit-hash-policy: layer3+4
    up-delay: 0
    down-delay: 0
- type: vlan
  name: bond0.2
  mtu: 9000
  vlan_id: 2
  vlan_link: bond0
  subnets:
  - address: 1.2.3.4/29
    gateway: 1.2.3.5
    type: static
- type: vlan
  mtu: 9000
  name: bond0.4
  vlan_id: 4
  vlan_link: bond0
  subnets:
  - type: static
    address: 10.0.0.11/24
- type: nameserver
  address: [8.8.8.8, 8.8.4.4]
";

    #[test]
    fn v1_bond_and_vlans() {
        let net = NodeNetwork::from_network_config(V1_BOND_VLAN).unwrap();
        net.validate().unwrap();
        let names: Vec<&str> = net.interfaces.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["eno1np0", "eno2np1", "bond0", "bond0.2", "bond0.4"]);
        let InterfaceKind::Bond(bond) = &net.interfaces[2].kind else {
            panic!("bond0 is not a bond")
        };
        assert_eq!(bond.members, ["eno1np0", "eno2np1"]);
        assert_eq!(
            (
                bond.mode.as_str(),
                bond.lacp_rate.as_str(),
                bond.hash_policy.as_str()
            ),
            ("802.3ad", "fast", "layer3+4")
        );
        assert_eq!(bond.miimon, 100);
        assert_eq!(
            net.interfaces[3].kind,
            InterfaceKind::Vlan {
                id: 2,
                link: "bond0".into()
            }
        );
        assert_eq!(net.interfaces[3].gateway4, Some("1.2.3.5".parse().unwrap()));
        assert_eq!(net.nameservers, vec![ip("8.8.8.8"), ip("8.8.4.4")]);
        for v in [NetworkVersion::V1, NetworkVersion::V2] {
            let text = net.to_network_config(v).unwrap();
            assert_eq!(
                NodeNetwork::from_network_config(&text).unwrap(),
                net.canonical(),
                "{text}"
            );
        }
    }

    // Same structure as Talos's testdata/in-v2-cloud-init.yaml (wrapped in
    // `network:`, `to: default`, bonds, VLANs, name servers on two links).
    const V2_WRAPPED: &str = "network:
  version: 2
  ethernets:
    eth0:
      match:
        macaddress: \"00:20:6e:1f:f9:a8\"
      dhcp4: true
      addresses: [192.168.14.2/24, 2001:1::1/64]
      gateway4: 192.168.14.1
      gateway6: 2001:1::2
      nameservers:
        search: [foo.local, bar.local]
        addresses: [8.8.8.8]
    eth1:
      match:
        macaddress: '00:20:6e:1f:f9:a9'
      addresses: [10.22.14.2/32]
      routes:
        - to: default
          via: \"192.168.14.1\"
          metric: 100
          on-link: true
    ext1:
      match:
        macaddress: 68:05:ca:b8:f1:f8
    ext2:
      match:
        macaddress: 68:05:ca:b8:f1:f9
  bonds:
    bond0:
      interfaces: [ext1, ext2]
      macaddress: e4:3d:1a:4d:6a:28
      mtu: 1500
      parameters:
        mode: 802.3ad
        mii-monitor-interval: 100
        down-delay: 200
        up-delay: 200
        lacp-rate: fast
        transmit-hash-policy: layer3+4
      addresses: [10.10.4.140/29]
      nameservers:
        addresses: [1.1.1.1, 2.2.2.2]
      routes:
        - to: 10.0.0.0/8
          via: 10.10.4.147
  vlans:
    bond0.4:
      id: 4
      link: bond0
      mtu: 1500
      addresses: [192.34.34.34/32]
";

    #[test]
    fn v2_example_parses_like_talos_reads_it() {
        let net = NodeNetwork::from_network_config(V2_WRAPPED).unwrap();
        net.validate().unwrap();
        let names: Vec<&str> = net.interfaces.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["eth0", "eth1", "ext1", "ext2", "bond0", "bond0.4"]);
        // Talos collects DNS servers from every link in processing order.
        assert_eq!(
            net.nameservers,
            vec![ip("8.8.8.8"), ip("1.1.1.1"), ip("2.2.2.2")]
        );
        let route = &net.interfaces[1].routes[0];
        assert_eq!(route.to.to_string(), "0.0.0.0/0");
        assert_eq!((route.metric, route.on_link), (100, true));
        assert!(net.interfaces[0].dhcp4);
        assert_eq!(net.interfaces[4].mtu, 1500);
        // v2 keeps everything, v1 cannot carry routes.
        let text = net.to_network_config(NetworkVersion::V2).unwrap();
        assert_eq!(
            NodeNetwork::from_network_config(&text).unwrap(),
            net,
            "{text}"
        );
        assert!(net.to_network_config(NetworkVersion::V1).is_err());
    }

    #[test]
    fn unsupported_and_malformed() {
        assert!(NodeNetwork::from_network_config("version: 3\n").is_err());
        assert!(NodeNetwork::from_network_config("foo: 1\n").is_err());
        assert!(NodeNetwork::from_network_config(
            "version: 2\nethernets:\n  eth0:\n    addresses: [10.0.0.1]\n"
        )
        .is_err());
        assert!(NodeNetwork::from_network_config(
            "version: 2\nbonds:\n  b:\n    parameters: {mode: fastest}\n"
        )
        .is_err());
        // a non-contiguous netmask would be /0 in Talos
        assert!(NodeNetwork::from_network_config(
            "version: 1\nconfig:\n- type: physical\n  name: e\n  subnets:\n  - {type: static, address: 10.0.0.1, netmask: 255.0.255.0}\n"
        )
        .is_err());
    }

    // Upstream: platform/nocloud/nocloud.go (DecodeNetworkConfig) looks for
    // the `network` key in a generic map, so a null `network:` still selects
    // the wrapped form, whose zero version Talos then refuses.
    #[test]
    fn null_network_key_still_selects_the_wrapped_form() {
        let text = "network: ~\nversion: 1\nconfig:\n- {type: physical, name: eth0}\n";
        assert!(NodeNetwork::from_network_config(text).is_err());
        // The wrapped form itself is read as usual.
        let wrapped = "network:\n  version: 1\n  config:\n  - {type: physical, name: eth0}\n";
        assert_eq!(
            NodeNetwork::from_network_config(wrapped)
                .unwrap()
                .interfaces[0]
                .name,
            "eth0"
        );
    }

    #[test]
    fn minimal_dhcp_when_nothing_given() {
        let net = NodeNetwork::dhcp("eth0");
        assert_eq!(
            net.to_network_config(NetworkVersion::V1).unwrap(),
            "version: 1\nconfig:\n  - type: \"physical\"\n    name: \"eth0\"\n    subnets:\n      - type: \"dhcp\"\n"
        );
        assert_eq!(
            net.to_network_config(NetworkVersion::V2).unwrap(),
            "version: 2\nethernets:\n  \"eth0\":\n    dhcp4: true\n"
        );
    }

    #[test]
    fn v2_interface_with_nothing_set_is_an_empty_map() {
        // Found by the round-trip property: a bare `"eth1":` reads back as
        // null, which no network-config reader takes for an interface.
        let mut net = NodeNetwork::dhcp("eth0");
        net.interfaces
            .push(talgen_nocloud::Interface::physical("eth1", None));
        let text = net.to_network_config(NetworkVersion::V2).unwrap();
        assert_eq!(
            text,
            "version: 2\nethernets:\n  \"eth0\":\n    dhcp4: true\n  \"eth1\": {}\n"
        );
        let back = NodeNetwork::from_network_config(&text).unwrap();
        assert_eq!(back, net.canonical());
    }

    #[test]
    fn macs_are_quoted_against_yaml_1_1_sexagesimal() {
        let mut net = NodeNetwork::dhcp("eth0");
        net.interfaces[0].kind = InterfaceKind::Physical {
            mac: Some("11:22:33:44:55:59".parse().unwrap()),
        };
        let text = net.to_network_config(NetworkVersion::V1).unwrap();
        assert!(
            text.contains("mac_address: \"11:22:33:44:55:59\""),
            "{text}"
        );
    }
}

mod properties {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use proptest::prelude::*;
    use talgen_nocloud::{
        parse_serial, Bond, Interface, InterfaceKind, IpPrefix, MacAddr, NetworkVersion,
        NodeNetwork, Route, SmbiosSerial, BOND_MODES, HASH_POLICIES, LACP_RATES,
    };

    fn ip4() -> impl Strategy<Value = Ipv4Addr> {
        any::<u32>().prop_map(Ipv4Addr::from)
    }
    fn ip6() -> impl Strategy<Value = Ipv6Addr> {
        prop_oneof![
            any::<u128>().prop_map(Ipv6Addr::from),
            (any::<u16>(), any::<u16>())
                .prop_map(|(a, b)| Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, a, b)),
        ]
    }
    fn prefix() -> impl Strategy<Value = IpPrefix> {
        prop_oneof![
            (ip4(), 0u8..=32).prop_map(|(a, l)| IpPrefix::new(IpAddr::V4(a), l).unwrap()),
            (ip6(), 0u8..=128).prop_map(|(a, l)| IpPrefix::new(IpAddr::V6(a), l).unwrap()),
        ]
    }
    fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            proptest::sample::select(list).prop_map(str::to_string)
        ]
    }

    #[derive(Debug, Clone)]
    struct Shape {
        nics: Vec<(Option<[u8; 6]>, Settings)>,
        bond: Option<(usize, Bond, Settings)>,
        vlans: Vec<(u16, bool, Settings)>,
        dns: Vec<IpAddr>,
        search: Vec<String>,
    }

    #[derive(Debug, Clone)]
    struct Settings {
        mtu: u32,
        dhcp4: bool,
        dhcp6: bool,
        addresses: Vec<IpPrefix>,
        gw4: bool,
        gw6: bool,
        gw4_addr: Ipv4Addr,
        gw6_addr: Ipv6Addr,
        routes: Vec<Route>,
    }

    fn settings() -> impl Strategy<Value = Settings> {
        (
            prop_oneof![Just(0u32), 576u32..9216],
            any::<bool>(),
            any::<bool>(),
            proptest::collection::vec(prefix(), 0..4),
            any::<bool>(),
            any::<bool>(),
            ip4(),
            ip6(),
            proptest::collection::vec(
                (
                    // Talos takes the route family from the gateway, so the
                    // destination is of the same family.
                    prop_oneof![
                        (ip4(), 0u8..=32, ip4()).prop_map(|(a, l, g)| (
                            IpPrefix::new(IpAddr::V4(a), l).unwrap(),
                            IpAddr::V4(g)
                        )),
                        (ip6(), 0u8..=128, ip6()).prop_map(|(a, l, g)| (
                            IpPrefix::new(IpAddr::V6(a), l).unwrap(),
                            IpAddr::V6(g)
                        )),
                    ],
                    0u32..2000,
                    0u32..300,
                    any::<bool>(),
                )
                    .prop_map(|((to, via), metric, table, on_link)| Route {
                        to,
                        via,
                        metric,
                        table,
                        on_link,
                    }),
                0..3,
            ),
        )
            .prop_map(
                |(mtu, dhcp4, dhcp6, addresses, gw4, gw6, gw4_addr, gw6_addr, routes)| Settings {
                    mtu,
                    dhcp4,
                    dhcp6,
                    addresses,
                    gw4,
                    gw6,
                    gw4_addr,
                    gw6_addr,
                    routes,
                },
            )
    }

    fn bond() -> impl Strategy<Value = Bond> {
        (
            pick(BOND_MODES),
            pick(LACP_RATES),
            pick(HASH_POLICIES),
            0u32..1000,
            0u32..1000,
            0u32..1000,
        )
            .prop_map(
                |(mode, lacp_rate, hash_policy, miimon, up_delay, down_delay)| Bond {
                    members: Vec::new(),
                    mode,
                    lacp_rate,
                    hash_policy,
                    miimon,
                    up_delay,
                    down_delay,
                },
            )
    }

    fn shape() -> impl Strategy<Value = Shape> {
        (
            proptest::collection::vec((proptest::option::of(any::<[u8; 6]>()), settings()), 1..4),
            proptest::option::of((1usize..4, bond(), settings())),
            proptest::collection::vec((1u16..=4094, any::<bool>(), settings()), 0..3),
            proptest::collection::vec(
                prop_oneof![ip4().prop_map(IpAddr::V4), ip6().prop_map(IpAddr::V6)],
                0..3,
            ),
            proptest::collection::vec("[a-z][a-z0-9-]{0,8}[a-z0-9](\\.[a-z]{2,5})?", 0..3),
        )
            .prop_map(|(nics, bond, vlans, dns, search)| Shape {
                nics,
                bond,
                vlans,
                dns,
                search,
            })
    }

    fn apply(i: &mut Interface, s: &Settings, v1: bool) {
        i.mtu = s.mtu;
        i.dhcp4 = s.dhcp4;
        i.dhcp6 = s.dhcp6;
        i.addresses = s.addresses.clone();
        let has4 = s.addresses.iter().any(|a| a.addr.is_ipv4());
        let has6 = s.addresses.iter().any(|a| a.addr.is_ipv6());
        i.gateway4 = (s.gw4 && (has4 || !v1)).then_some(s.gw4_addr);
        i.gateway6 = (s.gw6 && (has6 || !v1)).then_some(s.gw6_addr);
        if !v1 {
            i.routes = s.routes.clone();
        }
    }

    /// Builds a valid description; `v1` drops what version 1 cannot carry.
    fn build(s: &Shape, v1: bool) -> NodeNetwork {
        let mut net = NodeNetwork::default();
        for (n, (mac, set)) in s.nics.iter().enumerate() {
            let mut i = Interface::physical(&format!("eth{n}"), mac.map(MacAddr));
            apply(&mut i, set, v1);
            net.interfaces.push(i);
        }
        let mut parents = vec!["eth0".to_string()];
        if let Some((count, b, set)) = &s.bond {
            let mut b = b.clone();
            b.members = (0..(*count).min(s.nics.len()))
                .map(|n| format!("eth{n}"))
                .collect();
            let mut i = Interface::physical("bond0", None);
            i.kind = InterfaceKind::Bond(b);
            apply(&mut i, set, v1);
            net.interfaces.insert(0, i);
            parents.push("bond0".into());
        }
        for (n, (id, on_bond, set)) in s.vlans.iter().enumerate() {
            let link = if *on_bond {
                parents.last()
            } else {
                parents.first()
            }
            .unwrap()
            .clone();
            let mut i = Interface::physical(&format!("vlan{n}"), None);
            i.kind = InterfaceKind::Vlan { id: *id, link };
            apply(&mut i, set, v1);
            net.interfaces.push(i);
        }
        net.nameservers = s.dns.clone();
        net.search = s.search.clone();
        net
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn network_config_v1_round_trips(s in shape()) {
            let net = build(&s, true);
            net.validate().unwrap();
            let text = net.to_network_config(NetworkVersion::V1).unwrap();
            let back = NodeNetwork::from_network_config(&text).unwrap();
            prop_assert_eq!(back, net.canonical(), "{}", text);
        }

        #[test]
        fn network_config_v2_round_trips(s in shape()) {
            let net = build(&s, false);
            net.validate().unwrap();
            let text = net.to_network_config(NetworkVersion::V2).unwrap();
            let back = NodeNetwork::from_network_config(&text).unwrap();
            prop_assert_eq!(back, net.canonical(), "{}", text);
        }

        #[test]
        fn smbios_round_trips(
            host in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\\.[a-z0-9]{1,10}){0,3}",
            https in any::<bool>(),
            server in "[a-z0-9]{1,10}(\\.[a-z]{2,4})?",
            port in proptest::option::of(1u16..),
            path in "[ -~]{0,30}",
            id in proptest::option::of("[!-:<-~]{1,20}"),
            creds in proptest::option::of(("[ -~]{1,12}", "[ -~]{0,12}")),
        ) {
            let path = path.replace(['?', '#'], "");
            let url = format!(
                "{}://{server}{}/{path}",
                if https { "https" } else { "http" },
                port.map(|p| format!(":{p}")).unwrap_or_default()
            );
            let mut serial = match SmbiosSerial::with_credentials(
                &url, &host, creds.as_ref().map(|(u, p)| (u.as_str(), p.as_str())))
            {
                Ok(s) => s,
                // a path with a space-only or odd host is refused, never mangled
                Err(_) => return Ok(()),
            };
            if let Some(id) = &id {
                serial = serial.instance_id(id).unwrap();
            }
            let text = serial.serial();
            // Talos splits on ';': exactly ds, s, h and maybe i.
            prop_assert_eq!(text.split(';').count(), 3 + usize::from(id.is_some()));
            let p = parse_serial(&text);
            prop_assert!(p.uses_http_seed());
            prop_assert_eq!(p.url.as_deref(), Some(serial.url()));
            prop_assert!(serial.url().ends_with('/'));
            prop_assert_eq!(p.hostname.as_deref(), Some(host.as_str()));
            prop_assert_eq!(p.instance_id, id);
            prop_assert!(p.ignored.is_empty());
            let b = talgen_nocloud::decode_serial(&serial.base64()).unwrap();
            prop_assert_eq!(b.url.as_deref(), Some(serial.url()));
        }

        #[test]
        fn no_url_text_splits_a_serial(url in "\\PC{0,60}", host in "[a-z]{1,8}") {
            if let Ok(s) = SmbiosSerial::new(&url, &host) {
                let text = s.serial();
                prop_assert_eq!(text.split(';').count(), 3);
                prop_assert!(!s.url().contains(';'));
                let parsed = parse_serial(&text);
                prop_assert_eq!(parsed.url.as_deref(), Some(s.url()));
            }
        }
    }
}
