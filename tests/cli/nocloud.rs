#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `talgen nocloud` and `talgen smbios` run as a user would.

use std::process::Command;

fn talgen(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_talgen"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn nocloud_writes_seed_and_images() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("controlplane.yaml");
    std::fs::write(
        &config,
        "version: v1alpha1\nmachine:\n  type: controlplane\n",
    )
    .unwrap();
    let out = dir.path().join("seed");
    let iso = dir.path().join("cidata.iso");
    let vfat = dir.path().join("cidata.img");
    let (ok, _, err) = talgen(&[
        "nocloud",
        "--config",
        config.to_str().unwrap(),
        "--hostname",
        "cp1",
        "--instance-id",
        "cp1",
        "--ip",
        "10.0.0.51/24",
        "--gateway",
        "10.0.0.1",
        "--dns",
        "10.0.0.10",
        "--mac",
        "AA:BB:CC:DD:EE:FF",
        "--network-version",
        "2",
        "-o",
        out.to_str().unwrap(),
        "--iso",
        iso.to_str().unwrap(),
        "--vfat",
        vfat.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("user-data")).unwrap(),
        "version: v1alpha1\nmachine:\n  type: controlplane\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("meta-data")).unwrap(),
        "instance-id: \"cp1\"\nlocal-hostname: \"cp1\"\nhostname: \"cp1\"\n"
    );
    let nc = std::fs::read_to_string(out.join("network-config")).unwrap();
    let net = talgen::nocloud::NodeNetwork::from_network_config(&nc).unwrap();
    assert_eq!(net.interfaces[0].addresses[0].to_string(), "10.0.0.51/24");
    assert!(nc.contains("macaddress: \"aa:bb:cc:dd:ee:ff\""), "{nc}");
    let iso = std::fs::read(&iso).unwrap();
    assert_eq!(iso.len(), talgen::nocloud::MIN_ISO_BYTES);
    assert_eq!(
        &iso[0x8000 + 40..0x8000 + 72],
        format!("{:32}", "cidata").as_bytes()
    );
    assert!(std::fs::metadata(&vfat).unwrap().len() >= 1024 * 1024);

    // a second run refuses to clobber
    let (ok, _, err) = talgen(&[
        "nocloud",
        "--config",
        config.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn nocloud_include_url_and_default_dhcp() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed");
    let (ok, _, err) = talgen(&[
        "nocloud",
        "--include-url",
        "https://seed.example.com/cp1.yaml",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("user-data")).unwrap(),
        "#include\nhttps://seed.example.com/cp1.yaml\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("network-config")).unwrap(),
        "version: 1\nconfig:\n  - type: \"physical\"\n    name: \"eth0\"\n    subnets:\n      - type: \"dhcp\"\n"
    );
}

#[test]
fn smbios_prints_every_form() {
    let (ok, out, err) = talgen(&[
        "smbios",
        "--url",
        "http://10.0.0.1/seeds/cp1",
        "--hostname",
        "cp1",
        "--from-qm-config",
        "smbios1: uuid=0b0d5b4e-3c3a-4d8e-9a63-2f1c1d7f8e11,serial=eA==,base64=1",
        "--vmid",
        "101",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("serial:    ds=nocloud-net;s=http://10.0.0.1/seeds/cp1/;h=cp1\n"),
        "{out}"
    );
    assert!(
        out.contains("qm set 101 --smbios1 \"uuid=0b0d5b4e-3c3a-4d8e-9a63-2f1c1d7f8e11,serial="),
        "{out}"
    );
    assert!(out.contains("smbios {\n"), "{out}");

    let (ok, out, _) = talgen(&[
        "smbios",
        "--url",
        "http://x/a;b",
        "--hostname",
        "h",
        "-o",
        "json",
    ]);
    assert!(ok);
    assert!(out.contains("\"url\":\"http://x/a%3Bb/\""), "{out}");

    let (ok, out, _) = talgen(&[
        "smbios",
        "--decode",
        "ZHM9bm9jbG91ZC1uZXQ7cz1odHRwOi8veC87aD1o",
    ]);
    assert!(ok);
    assert!(out.contains("seed url:       http://x/\n"), "{out}");

    let (ok, _, err) = talgen(&["smbios", "--url", "ftp://x/", "--hostname", "h"]);
    assert!(!ok);
    assert!(err.contains("http"), "{err}");
}

#[test]
fn nocloud_refuses_an_empty_machine_config() {
    // Talos loads an empty user-data as "config not found"
    // (pkg/machinery/config/configloader), so no seed is written for it.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("empty.yaml");
    std::fs::write(&config, "\n").unwrap();
    let out = dir.path().join("seed");
    let (ok, _, err) = talgen(&[
        "nocloud",
        "--config",
        config.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("empty"), "{err}");
    assert!(!out.join("user-data").exists());
}

#[test]
fn smbios_decode_follows_talos_url_rules() {
    // `h=` that ends up empty is not used; `%2F` at the end of the path
    // counts as a trailing slash once decoded (Go's url.Parse).
    let (ok, out, err) = talgen(&[
        "smbios",
        "--decode",
        "ds=nocloud-net;s=http://x/seeds%2F;h=a;h=",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("seed url:       http://x/seeds%2F\n"), "{out}");
    assert!(out.contains("hostname:       -\n"), "{out}");

    let long = "x".repeat(64);
    let serial = format!("ds=nocloud-net;s=http://x/;h={long}");
    let (ok, out, _) = talgen(&["smbios", "--decode", &serial]);
    assert!(ok);
    assert!(
        out.contains("warning:        Talos refuses this host name"),
        "{out}"
    );
    let (ok, out, _) = talgen(&["smbios", "--decode", &serial, "-o", "json"]);
    assert!(ok);
    assert!(
        out.contains("\"hostname_problem\":\"the first label"),
        "{out}"
    );
}
