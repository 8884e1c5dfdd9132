//! The v1alpha1 `Config` model against upstream data: byte round trips of
//! Talos-encoded documents, and strict decoding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use talgen_config::meta::{ArgValue, Duration, Unstructured, Value};
use talgen_config::v1alpha1::{
    Config, DiskSize, FileMode, InstallDiskSizeMatcher, MachineConfig, RegistriesConfig,
};
use talgen_testutil::{upstream_or_skip, Tally};

/// Decodes one document strictly, as the Talos loader would. YAML 1.1
/// booleans (`y`, `on`) stay strings and `0644` is octal, as in go-yaml.
fn decode(text: &str) -> Result<Config, String> {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.legacy_octal_numbers = true;
    serde_saphyr::from_str_with_options::<Config>(text, options).map_err(|e| e.to_string())
}

/// Decodes through talgen-yaml's Go-typed node tree instead of serde-saphyr.
fn decode_via_node(text: &str) -> Result<Config, String> {
    let node = talgen_yaml::from_str(text).map_err(|e| e.to_string())?;
    talgen_yaml::from_node(node).map_err(|e| e.to_string())
}

/// Encodes like Go's `yaml.Marshal`.
fn encode(config: &Config) -> String {
    talgen_yaml::to_string(config).expect("encode")
}

/// The first document of a stream if it is the v1alpha1 one.
fn first_v1alpha1_doc(text: &str) -> Option<String> {
    let mut doc = String::new();
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            if doc.is_empty() {
                continue;
            }
            break;
        }
        doc.push_str(line);
    }
    doc.starts_with("version: v1alpha1").then_some(doc)
}

/// Files under `dir` (recursively) whose name passes `keep`, sorted.
fn files(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Decodes and re-encodes the first v1alpha1 document of every file and
/// compares bytes; returns (documents seen, files without such a document).
fn round_trip(root: &Path, paths: &[PathBuf], tally: &mut Tally) -> (usize, usize) {
    let (mut seen, mut skipped) = (0, 0);
    for path in paths {
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        let text = fs::read_to_string(path).unwrap();
        let Some(doc) = first_v1alpha1_doc(&text) else {
            skipped += 1;
            continue;
        };
        seen += 1;
        match decode(&doc) {
            Ok(config) => tally.compare(&name, &doc, &encode(&config)),
            Err(e) => tally.fail(&name, format!("decode: {e}")),
        }
        match decode_via_node(&doc) {
            Ok(config) => tally.compare(&format!("{name} (via node)"), &doc, &encode(&config)),
            Err(e) => tally.fail(&name, format!("decode via node: {e}")),
        }
    }
    (seen, skipped)
}

fn is_yaml(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yaml")
}

#[test]
fn stability_goldens_round_trip() {
    let root = upstream_or_skip!();
    let paths = files(&root.join("stability"), &|p| {
        is_yaml(p)
            && p.parent()
                .and_then(Path::file_name)
                .is_some_and(|d| d != "stability")
    });
    let mut tally = Tally::new();
    let (seen, skipped) = round_trip(&root, &paths, &mut tally);
    eprintln!("stability: {seen} v1alpha1 documents, {skipped} files without one");
    tally.finish("stability v1alpha1 round trip");
}

#[test]
fn cli_goldens_round_trip() {
    let root = upstream_or_skip!();
    let paths = files(&root.join("golden"), &|p| {
        ["controlplane.yaml", "worker.yaml", "init.yaml"]
            .iter()
            .any(|n| p.file_name().is_some_and(|f| f == *n))
    });
    let mut tally = Tally::new();
    let (seen, skipped) = round_trip(&root, &paths, &mut tally);
    eprintln!("golden: {seen} v1alpha1 documents, {skipped} files without one");
    tally.finish("golden v1alpha1 round trip");
}

/// Patch inputs and outputs are partly hand-written (two-space indents,
/// comments), so only a fixpoint is required of them: they decode strictly,
/// and encoding what decoding our own output gives changes nothing. Those
/// written by Talos must also match byte for byte.
#[test]
fn patch_and_loader_corpora_decode_and_reach_a_fixpoint() {
    let root = upstream_or_skip!();
    let mut paths = files(&root.join("configpatcher"), &is_yaml);
    paths.extend(files(&root.join("strategic"), &is_yaml));
    paths.extend(files(&root.join("configloader"), &|p| {
        p.extension().is_some_and(|e| e == "test")
    }));
    let mut tally = Tally::new();
    let (mut identical, mut seen) = (0, 0);
    for path in &paths {
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        let text = fs::read_to_string(path).unwrap();
        let Some(doc) = first_v1alpha1_doc(&text) else {
            continue;
        };
        if doc.contains("$patch:") {
            // `$patch: delete` directives belong to the patcher, not the model.
            continue;
        }
        seen += 1;
        let config = match decode(&doc) {
            Ok(c) => c,
            Err(e) => {
                tally.fail(&name, format!("decode: {e}"));
                continue;
            }
        };
        let once = encode(&config);
        if once == doc {
            identical += 1;
        } else if std::env::var_os("TALGEN_SHOW_DIFFS").is_some() {
            eprintln!("{name}: {}", talgen_testutil::diff(&doc, &once));
        }
        match decode(&once) {
            Ok(again) => tally.compare(&name, &once, &encode(&again)),
            Err(e) => tally.fail(&name, format!("re-decode: {e}")),
        }
    }
    eprintln!("patch/loader corpora: {seen} v1alpha1 documents, {identical} byte-identical");
    tally.finish("patch/loader corpora fixpoint");
}

#[test]
fn unknown_field_is_rejected_with_its_location() {
    let err =
        decode("version: v1alpha1\nmachine:\n    type: worker\n    kubelet:\n        imag: x\n")
            .unwrap_err();
    assert!(err.contains("unknown field `imag`"), "{err}");
    assert!(err.contains("line 5"), "{err}");
}

#[test]
fn unknown_top_level_field_is_rejected() {
    let err = decode("version: v1alpha1\nmachines: {}\n").unwrap_err();
    assert!(err.contains("unknown field `machines`"), "{err}");
}

#[test]
fn unknown_field_inside_pem_blob_is_rejected() {
    let err = decode("version: v1alpha1\nmachine:\n    ca:\n        crt: \"\"\n        cert: x\n")
        .unwrap_err();
    assert!(err.contains("unknown field `cert`"), "{err}");
}

#[test]
fn wrong_type_is_rejected_with_its_location() {
    let err = decode("version: v1alpha1\nmachine:\n    certSANs: foo\n").unwrap_err();
    assert!(err.contains("line 3"), "{err}");
    let err =
        decode("version: v1alpha1\ncluster:\n    controlPlane:\n        localAPIServerPort: abc\n")
            .unwrap_err();
    assert!(err.contains("line 4"), "{err}");
}

#[test]
fn bad_base64_and_bad_duration_are_rejected() {
    let err = decode("version: v1alpha1\nmachine:\n    ca:\n        crt: '!!!'\n").unwrap_err();
    assert!(err.contains("base64"), "{err}");
    let err =
        decode("version: v1alpha1\ncluster:\n    adminKubeconfig:\n        certLifetime: 5 days\n")
            .unwrap_err();
    assert!(err.contains("duration"), "{err}");
}

#[test]
fn unstructured_accepts_any_keys() {
    let c = decode(
        "version: v1alpha1\ncluster:\n    apiServer:\n        auditPolicy:\n            anything: [1, {x: y}]\n",
    )
    .unwrap();
    let policy = &c.cluster.unwrap().api_server.unwrap().audit_policy;
    assert_eq!(
        policy.get("anything"),
        Some(&Value::Seq(vec![
            Value::Int(1),
            Value::Map([("x".to_owned(), Value::from("y"))].into())
        ]))
    );
}

#[test]
fn null_leaves_value_fields_at_zero() {
    let c =
        decode("version: v1alpha1\nmachine:\n    certSANs:\n    sysctls: ~\n    token:\n").unwrap();
    let m = c.machine.unwrap();
    assert!(m.cert_sans.is_empty() && m.sysctls.is_empty() && m.token.is_empty());
}

#[test]
fn emptiness_rules_follow_go() {
    let mut config = Config {
        machine: Some(MachineConfig::default()),
        ..Default::default()
    };
    // No omitempty: written even when empty; pointers without omitempty are null.
    assert_eq!(
        encode(&config),
        "version: v1alpha1\nmachine:\n    type: \"\"\n    token: \"\"\n    certSANs: []\ncluster: null\n"
    );
    // A value struct with omitempty disappears when zero, shows when not.
    let m = config.machine.as_mut().unwrap();
    m.registries = RegistriesConfig::default();
    m.seccomp_profiles = Some(Vec::new());
    assert!(!encode(&config).contains("registries"));
    assert!(!encode(&config).contains("seccompProfiles"));
}

#[test]
fn kubelet_extra_args_keep_go_shapes() {
    let c = decode(
        "version: v1alpha1\nmachine:\n    kubelet:\n        extraArgs:\n            a: x\n            b: [y, z]\n            c: \"\"\n            d: 5\n",
    )
    .unwrap();
    let args = c
        .machine
        .as_ref()
        .unwrap()
        .kubelet
        .as_ref()
        .unwrap()
        .extra_args
        .clone();
    assert_eq!(args["a"], ArgValue::Single("x".into()));
    assert_eq!(args["b"], ArgValue::List(vec!["y".into(), "z".into()]));
    assert_eq!(args["d"], ArgValue::Single("5".into()));
    let out = encode(&c);
    assert!(out.contains("            c: null\n"), "{out}");
    assert!(out.contains("            d: \"5\"\n"), "{out}");
}

#[test]
fn inline_manifest_contents_lose_leading_line_breaks_only() {
    let c = decode(
        "version: v1alpha1\ncluster:\n    inlineManifests:\n        - name: a\n          contents: \"\\n\\t  x\"\n",
    )
    .unwrap();
    let manifests = c.cluster.unwrap().inline_manifests.unwrap();
    assert_eq!(manifests[0].contents, "  x");
}

#[test]
fn disk_sizes_and_conditions_encode_like_go() {
    assert_eq!(
        talgen_yaml::to_string(&DiskSize(100_000_000)).unwrap(),
        "100 MB\n"
    );
    assert_eq!(
        talgen_yaml::to_string(&DiskSize(1_234_000)).unwrap(),
        "1234000\n"
    );
    assert_eq!(
        talgen_yaml::to_string(&DiskSize(1_073_741_824)).unwrap(),
        "1073741824\n"
    );
    let m = InstallDiskSizeMatcher::new("  >= 1.5 TB ").unwrap();
    assert_eq!((m.op(), m.size()), (">=", 1_500_000_000_000));
    assert_eq!(talgen_yaml::to_string(&m).unwrap(), "'>= 1.5 TB'\n");
    assert!(InstallDiskSizeMatcher::new("> big").is_err());
}

#[test]
fn durations_encode_like_go() {
    assert_eq!(
        talgen_yaml::to_string(&Duration::from_hours(8760)).unwrap(),
        "8760h0m0s\n"
    );
    assert_eq!(
        talgen_yaml::to_string(&Duration::from_mins(5)).unwrap(),
        "5m0s\n"
    );
}

#[test]
fn file_mode_encodes_as_octal_literal_and_decodes_octal() {
    assert_eq!(talgen_yaml::to_string(&FileMode(0o644)).unwrap(), "0o644\n");
    for text in ["0o644", "0644", "420"] {
        let doc = format!(
            "version: v1alpha1\nmachine:\n    files:\n        - content: x\n          permissions: {text}\n          path: /a\n          op: create\n"
        );
        let c = decode(&doc).unwrap();
        assert_eq!(
            c.machine.unwrap().files[0].permissions,
            FileMode(0o644),
            "{text}"
        );
    }
}

#[test]
fn unstructured_builder_encodes_sorted() {
    let u = Unstructured::new()
        .with("kind", "Policy")
        .with("apiVersion", "audit.k8s.io/v1");
    assert_eq!(
        talgen_yaml::to_string(&u).unwrap(),
        "apiVersion: audit.k8s.io/v1\nkind: Policy\n"
    );
}

/// A document touching every struct of the model, written by hand after
/// go-yaml's rules (not Go output): a self-consistency check for value and byte
/// round trips and
/// for the Go encodings no corpus file exercises.
fn everything() -> &'static str {
    r#"version: v1alpha1
debug: true
persist: false
machine:
    type: worker
    token: abc.def
    acceptedCAs:
        - crt: Y2VydA==
    certSANs: []
    controlPlane:
        controllerManager:
            disabled: true
        scheduler:
            disabled: false
    kubelet:
        image: kubelet:v1
        clusterDNS:
            - 10.96.0.10
        extraArgs:
            feature-gates: A=true
            node-labels:
                - a=b
        extraMounts:
            - destination: /var/lib/x
              uidMappings:
                - containerID: 0
                  hostID: 1000
                  size: 1
        extraConfig:
            maxPods: 250
        credentialProviderConfig:
            kind: CredentialProviderConfig
        registerWithFQDN: true
        nodeIP:
            validSubnets:
                - 10.0.0.0/8
        skipNodeRegistration: false
    pods:
        - kind: Pod
    network:
        hostname: node-1
        interfaces:
            - interface: bond0
              addresses:
                - 10.0.0.2/24
              routes:
                - network: 0.0.0.0/0
                  gateway: 10.0.0.1
                  metric: 1024
              bond:
                interfaces:
                    - eth0
                deviceSelectors:
                    - hardwareAddr: aa:*
                      physical: true
                mode: 802.3ad
                miimon: 100
                useCarrier: true
              vlans:
                - routes: []
                  vlanId: 100
                  vip:
                    ip: 10.0.1.10
                    hcloud:
                        apiToken: t
                  dhcpOptions:
                    routeMetric: 0
            - deviceSelector:
                busPath: 0000:00:*
              bridge:
                interfaces: []
                stp:
                    enabled: true
                vlan:
                    vlanFiltering: true
              dhcp: true
              dhcpOptions:
                routeMetric: 5
                ipv6: true
                duidv6: '00:01'
              wireguard:
                privateKey: key
                listenPort: 51820
                peers:
                    - publicKey: pub
                      endpoint: 1.2.3.4:51820
                      persistentKeepaliveInterval: 25s
                      allowedIPs:
                        - 10.1.0.0/16
              vip:
                ip: 10.0.0.100
                equinixMetal:
                    apiToken: e
            - interface: eth9
              bridgePort:
                master: br0
              mtu: 9000
              ignore: true
              dummy: true
        nameservers:
            - 1.1.1.1
        searchDomains:
            - example.org
        extraHostEntries:
            - ip: 10.0.0.5
              aliases: []
        kubespan:
            enabled: true
            mtu: 1420
            filters:
                endpoints:
                    - 0.0.0.0/0
        disableSearchDomain: true
    disks:
        - device: /dev/sdb
          partitions:
            - size: 100 GB
              mountpoint: /var/data
            - size: 1073741824
    install:
        diskSelector:
            size: '>= 1TB'
            type: nvme
        extraKernelArgs:
            - console=ttyS0
        image: installer:v1
        extensions:
            - image: ext:v1
        wipe: null
        legacyBIOSSupport: true
        grubUseUKICmdline: false
    files:
        - content: hello
          permissions: 0o600
          path: /var/etc/x
          op: create
    env:
        http_proxy: http://proxy:3128
    time:
        servers:
            - time.cloudflare.com
        bootTimeout: 2m0s
    sysfs:
        a.b: c
    registries:
        mirrors:
            docker.io:
                endpoints:
                    - https://mirror
                overridePath: true
        config:
            mirror:
                tls:
                    clientIdentity:
                        crt: Y3J0
                        key: '******'
                    ca: Y2E=
                    insecureSkipVerify: true
                auth:
                    username: u
                    password: p
    systemDiskEncryption:
        state:
            provider: luks2
            keys:
                - nodeID: {}
                  slot: 0
                - static:
                    passphrase: secret
                  kms:
                    endpoint: https://kms
                  slot: 1
                  tpm:
                    checkSecurebootStatusOnEnroll: true
            cipher: aes-xts-plain64
            keySize: 512
            blockSize: 4096
            options:
                - no_read_workqueue
    features:
        kubernetesTalosAPIAccess:
            enabled: true
            allowedRoles:
                - os:reader
            allowedKubernetesNamespaces:
                - kube-system
        kubePrism:
            enabled: true
            port: 7445
        hostDNS:
            enabled: true
            resolveMemberNames: true
        imageCache:
            localEnabled: true
        nodeAddressSortAlgorithm: v2
    udev:
        rules:
            - SUBSYSTEM=="drm", GROUP="video"
    logging:
        destinations:
            - endpoint: udp://127.0.0.1:12345/
              format: json_lines
              extraTags:
                a: b
    kernel:
        modules:
            - name: br_netfilter
              parameters:
                - x=1
    seccompProfiles:
        - name: audit.json
          value:
            defaultAction: SCMP_ACT_LOG
    baseRuntimeSpecOverrides:
        process:
            rlimits: []
    nodeLabels:
        a: b
    nodeAnnotations:
        c: d
    nodeTaints:
        e: f:NoSchedule
cluster:
    controlPlane:
        endpoint: null
    network:
        cni:
            name: flannel
            flannel:
                extraArgs:
                    - --iface=eth0
                kubeNetworkPoliciesEnabled: true
        dnsDomain: cluster.local
        podSubnets: []
        serviceSubnets: []
    aescbcEncryptionSecret: aes
    acceptedCAs:
        - crt: Y2E=
    apiServer:
        extraArgs:
            a: b
        extraVolumes:
            - hostPath: /var/lib/a
              mountPath: /a
              readonly: true
        env:
            A: b
        disablePodSecurityPolicy: true
        admissionControl:
            - name: X
              configuration: {}
        resources:
            requests:
                cpu: 500m
            limits:
                memory: 1Gi
        authorizationConfig:
            - type: Webhook
              name: w
              webhook:
                timeout: 3s
    controllerManager:
        image: kcm:v1
        extraVolumes:
            - hostPath: /a
              mountPath: /b
    proxy:
        disabled: true
        mode: ipvs
    scheduler:
        config:
            kind: KubeSchedulerConfiguration
    discovery:
        registries:
            kubernetes: {}
            service:
                disabled: true
                endpoint: https://disco
    etcd:
        image: etcd:v3
        ca: null
        extraArgs:
            x: 'y'
        subnet: 10.0.0.0/8
        advertisedSubnets:
            - 10.0.0.0/8
        listenSubnets:
            - 0.0.0.0/0
    coreDNS:
        disabled: true
        image: coredns:v1
    externalCloudProvider:
        enabled: true
        manifests:
            - https://m
    extraManifests:
        - https://x
    extraManifestHeaders:
        H: v
    inlineManifests:
        - name: m
          contents: |
            kind: Namespace
    adminKubeconfig:
        certLifetime: 1h0m0s
    allowSchedulingOnMasters: true
"#
}

#[test]
fn every_struct_round_trips_byte_for_byte() {
    let doc = everything();
    let config = decode(doc).unwrap();
    let mut tally = Tally::new();
    tally.compare("everything", doc, &encode(&config));
    tally.finish("every struct");
    let via_node = decode_via_node(doc).unwrap();
    assert_eq!(via_node, config);
    let m = config.machine.as_ref().unwrap();
    assert_eq!(m.disks[0].partitions[0].size, DiskSize(100_000_000_000));
    assert_eq!(m.files[0].permissions, FileMode(0o600));
    assert_eq!(
        m.time.as_ref().unwrap().boot_timeout,
        Duration::from_mins(2)
    );
    let tls = m.registries.config["mirror"].tls.as_ref().unwrap();
    assert_eq!(tls.ca.0, b"ca");
    assert_eq!(tls.client_identity.as_ref().unwrap().key, b"******");
}
