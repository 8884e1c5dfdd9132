#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! `talgen gen fleet` run as an operator would: the tree it writes, reruns,
//! deleted secrets, `--check`, interruption, and fleet files it refuses.

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn talgen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const COMMON: &str =
    "machine:\n  kubelet:\n    extraArgs:\n      rotate-server-certificates: \"true\"\n";

/// Two clusters on contract v1.6: a cluster patch from a file, inline node
/// patches, static and DHCP networks, seed URLs.
const FLEET: &str = "\
defaults:
  talosVersion: v1.6
  kubernetesVersion: 1.29.1
  installDisk: /dev/vda
  patches: [\"@common.yaml\"]
clusters:
  - name: store-a
    endpoint: https://10.1.0.10:6443
    patches:
      - machine: {env: {STORE: a}}
    nodes:
      - hostname: store-a-cp1
        role: controlplane
        network: {ip: 10.1.0.11/24, gateway: 10.1.0.1, dns: [10.1.0.1], mac: \"bc:24:11:00:01:11\"}
        seedURL: https://seed.example.net/nocloud/store-a-cp1/
        vmid: 1011
      - hostname: store-a-w1
        role: worker
        patches: [\"machine: {nodeLabels: {rack: r1}}\"]
        seedURL: https://seed.example.net/nocloud/store-a-w1/
  - name: store-b
    endpoint: https://10.2.0.10:6443
    installImage: ghcr.io/siderolabs/installer:v1.6.7
    nodes:
      - hostname: store-b-cp1
        role: controlplane
        installDisk: /dev/sda
      - hostname: store-b-w1
        role: worker
";

/// A fleet directory: the fleet file, its patch file, and the output.
struct Site {
    _tmp: tempfile::TempDir,
    fleet: PathBuf,
    out: PathBuf,
}

impl Site {
    fn new(fleet: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("common.yaml"), COMMON).unwrap();
        let path = tmp.path().join("fleet.yaml");
        std::fs::write(&path, fleet).unwrap();
        let out = tmp.path().join("out");
        Self {
            fleet: path,
            out,
            _tmp: tmp,
        }
    }

    fn run(&self, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec![
            "gen",
            "fleet",
            self.fleet.to_str().unwrap(),
            "-o",
            self.out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        talgen(&args)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }
}

use talgen_testutil::read_tree as tree;

/// Inode and mtime of every file: a rewrite (rename) changes the inode.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    tree(dir)
        .keys()
        .map(|rel| {
            let m = std::fs::metadata(dir.join(rel)).unwrap();
            (rel.clone(), (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn fleet_writes_every_artifact_and_an_index() {
    let site = Site::new(FLEET);
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 of 2 clusters written"), "{err}");
    let files = tree(&site.out);
    let mut names: Vec<&str> = files.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "index.json",
            "store-a/contract",
            "store-a/kubeconfig",
            "store-a/secrets.yaml",
            "store-a/store-a-cp1/meta-data",
            "store-a/store-a-cp1/network-config",
            "store-a/store-a-cp1/qm-set",
            "store-a/store-a-cp1/smbios-serial",
            "store-a/store-a-cp1/user-data",
            "store-a/store-a-w1/meta-data",
            "store-a/store-a-w1/network-config",
            "store-a/store-a-w1/qm-set",
            "store-a/store-a-w1/smbios-serial",
            "store-a/store-a-w1/user-data",
            "store-a/talosconfig",
            "store-b/contract",
            "store-b/kubeconfig",
            "store-b/secrets.yaml",
            "store-b/store-b-cp1/meta-data",
            "store-b/store-b-cp1/network-config",
            "store-b/store-b-cp1/user-data",
            "store-b/store-b-w1/meta-data",
            "store-b/store-b-w1/network-config",
            "store-b/store-b-w1/user-data",
            "store-b/talosconfig",
        ]
    );
    assert_eq!(files["store-a/contract"], b"v1.6\n");
    assert_eq!(
        String::from_utf8_lossy(&files["store-a/store-a-cp1/smbios-serial"]),
        "ds=nocloud-net;s=https://seed.example.net/nocloud/store-a-cp1/;h=store-a-cp1\n"
    );
    assert!(
        String::from_utf8_lossy(&files["store-a/store-a-cp1/qm-set"])
            .starts_with("qm set 1011 --smbios1 \"serial=")
    );
    // Private keys owner-only; worker configs as talosctl writes them.
    for rel in [
        "store-a/secrets.yaml",
        "store-a/talosconfig",
        "store-a/kubeconfig",
        "store-a/store-a-cp1/user-data",
    ] {
        assert_eq!(mode(&site.path(rel)), 0o600, "{rel}");
    }
    assert_eq!(
        mode(&site.path("store-a/store-a-w1/user-data")) & 0o077,
        0o044
    );

    // The index lists every other file with its SHA-256.
    let index: serde_json::Value = serde_json::from_slice(&files["index.json"]).unwrap();
    let entries = index["files"].as_array().unwrap();
    assert_eq!(entries.len(), files.len() - 1);
    for e in entries {
        let rel = e["path"].as_str().unwrap();
        let bytes = &files[rel];
        assert_eq!(e["size"].as_u64().unwrap(), bytes.len() as u64, "{rel}");
        assert_eq!(
            e["sha256"].as_str().unwrap(),
            talgen_fleet::dir::sha256_hex(bytes),
            "{rel}"
        );
    }
}

#[test]
fn user_data_is_gen_config_then_machineconfig_patch_and_valid_for_cloud() {
    let site = Site::new(FLEET);
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    let dir = site.fleet.parent().unwrap();
    let common = dir.join("common.yaml");
    let common = format!("@{}", common.display());
    // (cluster, endpoint, cluster patches, extra gen config args, nodes:
    // (host, role file, install disk, node patch)).
    type NodeCase<'a> = (&'a str, &'a str, &'a str, Option<&'a str>);
    type Case<'a> = (
        &'a str,
        &'a str,
        Vec<String>,
        Vec<&'a str>,
        Vec<NodeCase<'a>>,
    );
    let cases: [Case; 2] = [
        (
            "store-a",
            "https://10.1.0.10:6443",
            vec![common.clone(), "machine: {env: {STORE: a}}".to_owned()],
            vec![],
            vec![
                ("store-a-cp1", "controlplane.yaml", "/dev/vda", None),
                (
                    "store-a-w1",
                    "worker.yaml",
                    "/dev/vda",
                    Some("machine: {nodeLabels: {rack: r1}}"),
                ),
            ],
        ),
        (
            "store-b",
            "https://10.2.0.10:6443",
            vec![common.clone()],
            vec!["--install-image", "ghcr.io/siderolabs/installer:v1.6.7"],
            vec![
                ("store-b-cp1", "controlplane.yaml", "/dev/sda", None),
                ("store-b-w1", "worker.yaml", "/dev/vda", None),
            ],
        ),
    ];
    for (cluster, endpoint, patches, extra, nodes) in cases {
        let gen = dir.join(format!("gen-{cluster}"));
        let secrets = site.path(&format!("{cluster}/secrets.yaml"));
        let mut args = vec![
            "gen",
            "config",
            cluster,
            endpoint,
            "--with-secrets",
            secrets.to_str().unwrap(),
            "--talos-version",
            "v1.6",
            "--kubernetes-version",
            "1.29.1",
            "-o",
            gen.to_str().unwrap(),
        ];
        for p in &patches {
            args.extend(["--config-patch", p.as_str()]);
        }
        args.extend(extra);
        let (code, _, err) = talgen(&args);
        assert_eq!(code, 0, "{err}");
        for (host, role, disk, patch) in nodes {
            let disk_patch = format!("machine: {{install: {{disk: {disk}}}}}");
            let patched = dir.join(format!("{host}.yaml"));
            let mut args = vec![
                "machineconfig".to_owned(),
                "patch".to_owned(),
                gen.join(role).display().to_string(),
                "--patch".to_owned(),
                disk_patch,
                "-o".to_owned(),
                patched.display().to_string(),
            ];
            if let Some(p) = patch {
                args.extend(["--patch".to_owned(), p.to_owned()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, _, err) = talgen(&args);
            assert_eq!(code, 0, "{err}");
            let want = std::fs::read_to_string(&patched).unwrap();
            let user_data = site.path(&format!("{cluster}/{host}/user-data"));
            let got = std::fs::read_to_string(&user_data).unwrap();
            assert!(
                got == want,
                "{cluster}/{host}:\n{}",
                talgen_testutil::diff(&want, &got)
            );
            let (code, _, err) = talgen(&[
                "validate",
                "--mode",
                "cloud",
                "--talos-version",
                "v1.6",
                "--config",
                user_data.to_str().unwrap(),
            ]);
            assert_eq!(code, 0, "{cluster}/{host}: {err}");
        }
    }
}

#[test]
fn rerun_rewrites_nothing_and_check_is_clean() {
    let site = Site::new(FLEET);
    assert_eq!(site.run(&[]).0, 0);
    let before = stamps(&site.out);
    let bytes = tree(&site.out);
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 created, 0 updated, 24 unchanged"), "{err}");
    assert!(
        err.contains("; 2 clusters unchanged since index.json"),
        "{err}"
    );
    assert_eq!(stamps(&site.out), before);
    assert_eq!(tree(&site.out), bytes);
    let (code, out, err) = site.run(&["--check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "");
    // Rendering every cluster instead gives the same bytes.
    let (code, _, err) = site.run(&["--rerender"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 created, 0 updated, 24 unchanged"), "{err}");
    assert!(!err.contains("unchanged since index.json"), "{err}");
    assert_eq!(stamps(&site.out), before);
}

#[test]
fn deleted_secrets_are_regenerated_for_that_cluster_only() {
    let site = Site::new(FLEET);
    assert_eq!(site.run(&[]).0, 0);
    let old_secrets = std::fs::read(site.path("store-b/secrets.yaml")).unwrap();
    std::fs::remove_file(site.path("store-b/secrets.yaml")).unwrap();
    let before = stamps(&site.out);

    // --check names the cluster's files, writes nothing, exits 2.
    let (code, out, err) = site.run(&["--check"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("store-b/secrets.yaml is missing"), "{err}");
    let listed: Vec<&str> = out.lines().collect();
    assert!(listed.iter().all(|l| !l.contains("/store-a/")), "{out}");
    assert!(
        listed.contains(
            &format!(
                "would create {}",
                site.path("store-b/secrets.yaml").display()
            )
            .as_str()
        ),
        "{out}"
    );
    assert!(
        listed.contains(
            &format!(
                "would update {}",
                site.path("store-b/store-b-w1/user-data").display()
            )
            .as_str()
        ),
        "{out}"
    );
    assert_eq!(stamps(&site.out), before);

    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    let after = stamps(&site.out);
    for (rel, stamp) in &after {
        if rel.starts_with("store-a/") {
            assert_eq!(Some(stamp), before.get(rel), "{rel} was rewritten");
        }
    }
    let new_secrets = std::fs::read(site.path("store-b/secrets.yaml")).unwrap();
    assert_ne!(new_secrets, old_secrets);
    // The node configs now carry the new secrets: a rerun is clean.
    assert_eq!(site.run(&["--check"]).0, 0);
}

#[test]
fn contract_change_is_refused_unless_allowed() {
    let site = Site::new(FLEET);
    assert_eq!(site.run(&[]).0, 0);
    let before = tree(&site.out);
    let newer = FLEET.replacen("talosVersion: v1.6", "talosVersion: v1.7", 1);
    std::fs::write(&site.fleet, &newer).unwrap();
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("cluster store-a: talosVersion v1.7 but its secrets were made for v1.6"),
        "{err}"
    );
    assert!(err.contains("--allow-contract-change"), "{err}");
    // Nothing of either cluster changed (both are pinned to v1.6).
    let after = tree(&site.out);
    for (rel, bytes) in &before {
        if rel != "index.json" {
            assert_eq!(after.get(rel), Some(bytes), "{rel}");
        }
    }
    let (code, _, err) = site.run(&["--allow-contract-change"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(site.path("store-a/contract")).unwrap(),
        b"v1.7\n"
    );
    assert_eq!(
        std::fs::read(site.path("store-a/secrets.yaml")).unwrap(),
        before["store-a/secrets.yaml"]
    );
}

#[test]
fn bad_clusters_are_reported_precisely_and_write_nothing() {
    let bad = format!(
        "{FLEET}  - name: store-c
    endpoint: https://10.3.0.10:6443
    nodes:
      - hostname: store-a-w1
        role: worker
  - name: store-d
    endpoint: https://10.4.0.10:6443
    nodes:
      - hostname: store-d-cp1
        role: controlplane
        network: {{ip: 10.4.0.11/33, gateway: 10.4.0.1}}
"
    );
    let site = Site::new(&bad);
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 1, "{err}");
    let file = site.fleet.display();
    assert!(
        err.contains(&format!(
            "{file}:33: cluster store-c, node store-a-w1: hostname: host name already used by cluster store-a on line 17"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{file}:38: cluster store-d, node store-d-cp1: network:"
        )),
        "{err}"
    );
    assert!(err.contains("2 of 4 clusters written"), "{err}");
    assert!(!site.path("store-c").exists());
    assert!(!site.path("store-d").exists());
    assert!(site.path("store-a/store-a-w1/user-data").exists());
}

#[test]
fn a_file_that_is_not_a_fleet_writes_nothing() {
    let site = Site::new(&FLEET.replace("    vmid: 1011", "    vmid: 1011\n        colour: blue"));
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 1);
    assert!(err.contains("colour"), "{err}");
    assert!(
        err.starts_with(&format!("talgen: error: {}:", site.fleet.display())),
        "{err}"
    );
    assert!(!site.out.exists());
}

#[test]
fn only_limits_the_run_and_keeps_the_index_of_the_rest() {
    let site = Site::new(FLEET);
    let (code, _, err) = site.run(&["--only", "store-b"]);
    assert_eq!(code, 0, "{err}");
    assert!(!site.path("store-a").exists());
    assert!(site.path("store-b/secrets.yaml").exists());
    assert_eq!(site.run(&[]).0, 0);
    let index = std::fs::read(site.path("index.json")).unwrap();
    let (code, _, err) = site.run(&["--only", "store-a"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(site.path("index.json")).unwrap(), index);
    let (code, _, err) = site.run(&["--only", "store-z"]);
    assert_eq!(code, 1);
    assert!(err.contains("store-z"), "{err}");
}

/// A fleet of `n` one-node clusters.
fn many(n: usize) -> String {
    let mut s =
        String::from("defaults:\n  talosVersion: v1.6\n  kubernetesVersion: 1.29.1\nclusters:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - name: c{i:03}\n    endpoint: https://10.9.{i}.1:6443\n    nodes:\n      - hostname: c{i:03}-cp1\n        role: controlplane\n        network: {{ip: 10.9.{i}.11/24, gateway: 10.9.{i}.1}}\n"
        ));
    }
    s
}

#[test]
fn a_killed_run_leaves_whole_files_and_a_rerun_completes_it() {
    let site = Site::new(&many(60));
    let mut child = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args([
            "gen",
            "fleet",
            site.fleet.to_str().unwrap(),
            "-o",
            site.out.to_str().unwrap(),
            "-j",
            "1",
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !site.path("c003/secrets.yaml").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !site.path("index.json").exists(),
        "the run finished before it was killed"
    );
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    let done = tree(&site.out);
    assert!(
        done.keys().all(|k| !k.contains(".talgen-tmp.")),
        "leftover temporary files"
    );
    assert_eq!(site.run(&["--check"]).0, 0);

    // The same tree as one uninterrupted run from the same secrets and
    // credentials.
    let fresh = Site::new(&many(60));
    for rel in done.keys() {
        if rel.ends_with("secrets.yaml")
            || rel.ends_with("/contract")
            || rel.ends_with("talosconfig")
            || rel.ends_with("kubeconfig")
        {
            let to = fresh.path(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, &done[rel]).unwrap();
        }
    }
    let (code, _, err) = fresh.run(&[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(tree(&fresh.out), done);
}

#[test]
fn fail_fast_stops_starting_clusters() {
    let mut fleet = many(20);
    fleet = fleet.replacen("endpoint: https://10.9.0.1:6443", "endpoint: 'https://'", 1);
    let site = Site::new(&fleet);
    let (code, _, err) = site.run(&["--fail-fast", "-j", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("cluster c000"), "{err}");
    assert!(err.contains("not started (--fail-fast)"), "{err}");
    assert!(!site.path("c019").exists());
}

#[test]
fn the_readme_example_fleet_is_valid() {
    let out = tempfile::tempdir().unwrap();
    let fleet = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/fleet/fleet.yaml");
    let target = out.path().join("out");
    let (code, stdout, err) = talgen(&[
        "gen",
        "fleet",
        fleet,
        "-o",
        target.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("error"), "{err}");
    assert!(err.contains("2 of 2 clusters checked"), "{err}");
    assert!(stdout.contains("store-0001-cp1/qm-set"), "{stdout}");
    assert!(!target.exists(), "--check wrote files");
}

#[test]
fn files_of_removed_nodes_and_clusters_go_but_secrets_stay() {
    let site = Site::new(FLEET);
    assert_eq!(site.run(&[]).0, 0);
    let node = "      - hostname: store-a-w1
        role: worker
        patches: [\"machine: {nodeLabels: {rack: r1}}\"]
        seedURL: https://seed.example.net/nocloud/store-a-w1/
";
    let cut = FLEET.replace(node, "");
    let cut = &cut[..cut.find("  - name: store-b").unwrap()];
    std::fs::write(&site.fleet, cut).unwrap();
    // A file the operator changed is not talgen's to remove.
    std::fs::write(site.path("store-b/store-b-w1/meta-data"), "mine\n").unwrap();
    let before = tree(&site.out);

    let (code, out, err) = site.run(&["--check"]);
    assert_eq!(code, 2, "{out}{err}");
    for f in [
        "store-a/store-a-w1/user-data",
        "store-a/store-a-w1/qm-set",
        "store-b/store-b-cp1/user-data",
        "store-b/store-b-w1/user-data",
    ] {
        let line = format!("would remove {}", site.path(f).display());
        assert!(out.contains(&line), "{line} in\n{out}");
    }
    assert!(!out.contains("store-b-w1/meta-data"), "{out}");
    assert!(!out.contains("secrets.yaml"), "{out}");
    assert_eq!(tree(&site.out), before, "--check removed files");

    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(!site.path("store-a/store-a-w1").exists());
    assert!(!site.path("store-b/store-b-cp1").exists());
    assert!(site.path("store-a/store-a-cp1/user-data").exists());
    for kept in [
        "store-b/secrets.yaml",
        "store-b/talosconfig",
        "store-b/kubeconfig",
        "store-b/store-b-w1/meta-data",
    ] {
        assert!(site.path(kept).exists(), "{kept}");
    }
    assert!(!site.path("store-b/store-b-w1/user-data").exists());
    assert!(
        err.contains("cluster store-b is no longer in the fleet"),
        "{err}"
    );
    assert!(
        err.contains("store-b/store-b-w1/meta-data: changed since talgen wrote it: kept"),
        "{err}"
    );
    let index = std::fs::read_to_string(site.path("index.json")).unwrap();
    assert!(
        !index.contains("store-a-w1") && !index.contains("store-b"),
        "{index}"
    );

    let (code, out, err) = site.run(&["--check"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_patched_hostname_on_v1_12_warns_and_names_the_document() {
    let fleet = FLEET
        .replace("talosVersion: v1.6", "talosVersion: v1.12")
        .replace("kubernetesVersion: 1.29.1", "kubernetesVersion: 1.34.0")
        .replace(
            "patches: [\"machine: {nodeLabels: {rack: r1}}\"]",
            "patches: [\"machine: {network: {hostname: store-a-w1}}\"]",
        );
    let site = Site::new(&fleet);
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    let warning = format!(
        "talgen: warning: {}:17: cluster store-a, node store-a-w1: patches: patch (inline) sets machine.network.hostname",
        site.fleet.display()
    );
    assert!(err.contains(&warning), "{warning} in\n{err}");
    assert!(
        err.contains("patch the HostnameConfig document instead"),
        "{err}"
    );
    assert_eq!(err.matches("talgen: warning:").count(), 1, "{err}");
}

#[test]
fn an_index_pointing_outside_the_tree_removes_nothing() {
    let site = Site::new(FLEET);
    assert_eq!(site.run(&[]).0, 0);
    let outside = site.out.parent().unwrap().join("common.yaml");
    let sha = {
        let bytes = std::fs::read(&outside).unwrap();
        talgen::fleet::dir::sha256_hex(&bytes)
    };
    let index = std::fs::read_to_string(site.path("index.json")).unwrap();
    let forged = index.replacen(
        "\"files\": [",
        &format!(
            "\"files\": [\n    {{\n      \"path\": \"store-a/../../common.yaml\",\n      \"sha256\": \"{sha}\",\n      \"size\": {}\n    }},",
            COMMON.len()
        ),
        1,
    );
    std::fs::write(site.path("index.json"), forged).unwrap();
    let (code, _, err) = site.run(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(outside.exists());
}
