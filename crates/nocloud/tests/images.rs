#![allow(clippy::unwrap_used, clippy::expect_used)]
//! cidata images read back by independent tools (isoinfo, xorriso, blkid,
//! mtools, fsck.fat). `.ci/run` installs them; under CI a missing tool fails
//! the test, elsewhere the test skips loudly.

use std::path::{Path, PathBuf};
use std::process::Command;

use talgen_nocloud::{build_iso, build_vfat, IsoOptions, VfatOptions};

const USER_DATA: &[u8] = b"version: v1alpha1\nmachine:\n  type: controlplane\n";
const META_DATA: &[u8] = b"instance-id: \"iid-1\"\nlocal-hostname: \"cp1\"\nhostname: \"cp1\"\n";

fn network_config() -> Vec<u8> {
    // bigger than one sector to exercise multi-sector extents
    let mut s = String::from("version: 1\nconfig:\n");
    for i in 0..120 {
        s.push_str(&format!("  - type: \"physical\"\n    name: \"eth{i}\"\n"));
    }
    s.into_bytes()
}

fn files(nc: &[u8]) -> Vec<(&'static str, &[u8])> {
    vec![
        ("user-data", USER_DATA),
        ("meta-data", META_DATA),
        ("network-config", nc),
    ]
}

/// Whether `tool` is installed; panics under CI when it is not.
fn have(tool: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        .unwrap_or(false)
        || Path::new("/sbin").join(tool).is_file()
        || Path::new("/usr/sbin").join(tool).is_file();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing under CI (.ci/run installs it)"
        );
        eprintln!("\n!!!!!!!!!! SKIPPING checks with {tool}: not installed !!!!!!!!!!\n");
    }
    found
}

fn run(tool: &str, args: &[&str]) -> (bool, Vec<u8>, String) {
    let path = ["/usr/sbin", "/sbin"]
        .iter()
        .map(|d| PathBuf::from(d).join(tool))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(tool));
    let out = Command::new(path).args(args).output().unwrap();
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str, data: &[u8]) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("talgen-nocloud-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    let s = path.to_str().unwrap().to_string();
    (path, s)
}

#[test]
fn iso_reads_back_with_independent_tools() {
    let nc = network_config();
    let img = build_iso(&files(&nc), &IsoOptions::default()).unwrap();
    let (_p, path) = temp("cidata.iso", &img);
    let mut checked = 0;

    if have("blkid") {
        let (ok, out, err) = run("blkid", &["-p", "-o", "export", &path]);
        let out = String::from_utf8_lossy(&out);
        assert!(ok, "blkid failed: {err}");
        assert!(out.contains("TYPE=iso9660"), "{out}");
        assert!(out.lines().any(|l| l == "LABEL=cidata"), "{out}");
        checked += 1;
    }
    if have("isoinfo") {
        let (ok, out, err) = run("isoinfo", &["-d", "-i", &path]);
        let out = String::from_utf8_lossy(&out);
        assert!(ok, "{err}");
        assert!(out.contains("Volume id: cidata\n"), "{out}");
        assert!(out.contains("Joliet with UCS level 3 found"), "{out}");
        let (ok, out, _) = run("isoinfo", &["-J", "-f", "-i", &path]);
        assert!(ok);
        let mut names: Vec<String> = String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect();
        names.sort();
        assert_eq!(names, ["/meta-data", "/network-config", "/user-data"]);
        for (name, data) in files(&nc) {
            let (ok, out, err) = run("isoinfo", &["-J", "-x", &format!("/{name}"), "-i", &path]);
            assert!(ok, "{err}");
            assert_eq!(out, data, "isoinfo -J -x /{name}");
        }
        checked += 1;
    }
    if have("xorriso") {
        let (ok, out, err) = run("xorriso", &["-indev", &path, "-pvd_info"]);
        assert!(ok, "{err}");
        let text = String::from_utf8_lossy(&out).into_owned() + &err;
        assert!(text.contains("Volume Id    : cidata"), "{text}");
        for (name, data) in files(&nc) {
            let (dir, _) = temp(&format!("x-{name}"), b"");
            let dest = dir.to_str().unwrap().to_string();
            std::fs::remove_file(&dir).unwrap();
            let (ok, _, err) = run(
                "xorriso",
                &[
                    "-osirrox",
                    "on",
                    "-indev",
                    &path,
                    "-extract",
                    &format!("/{name}"),
                    &dest,
                ],
            );
            assert!(ok, "{err}");
            assert_eq!(
                std::fs::read(&dest).unwrap(),
                data,
                "xorriso extract /{name}"
            );
        }
        checked += 1;
    }
    eprintln!("iso checked with {checked} tools");
}

#[test]
fn vfat_reads_back_with_independent_tools() {
    let nc = network_config();
    let img = build_vfat(&files(&nc), &VfatOptions::default()).unwrap();
    let (_p, path) = temp("cidata.img", &img);

    if have("blkid") {
        let (ok, out, err) = run("blkid", &["-p", "-o", "export", &path]);
        let out = String::from_utf8_lossy(&out);
        assert!(ok, "blkid failed: {err}");
        assert!(out.contains("TYPE=vfat"), "{out}");
        assert!(out.lines().any(|l| l == "LABEL=CIDATA"), "{out}");
    }
    if have("fsck.fat") {
        let (ok, out, err) = run("fsck.fat", &["-n", "-v", &path]);
        let out = String::from_utf8_lossy(&out);
        assert!(ok, "fsck.fat: {out}{err}");
        assert!(!out.contains("differences between boot sector"), "{out}");
        assert!(!out.to_lowercase().contains("dirty"), "{out}");
    }
    if have("mdir") {
        let (ok, out, err) = run("mlabel", &["-i", &path, "-s", "::"]);
        assert!(ok, "{err}");
        assert!(String::from_utf8_lossy(&out).contains("Volume label is CIDATA"));
        let (ok, out, err) = run("mdir", &["-i", &path, "-b", "::"]);
        assert!(ok, "{err}");
        let mut names: Vec<String> = String::from_utf8_lossy(&out)
            .lines()
            .map(str::to_string)
            .collect();
        names.sort();
        assert_eq!(names, ["::/meta-data", "::/network-config", "::/user-data"]);
        for (name, data) in files(&nc) {
            let (ok, out, err) = run("mtype", &["-i", &path, &format!("::{name}")]);
            assert!(ok, "{err}");
            assert_eq!(out, data, "mtype ::{name}");
        }
    }
}
