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

/// The label as Talos v1.0–v1.11 sees it: those releases find the cidata
/// volume with go-blockdevice v0.4 (`blockdevice/probe/probe.go`,
/// `WithFileSystemLabel`), which reads the ISO primary descriptor's volume
/// id, or the FAT boot-sector label (offset 0x2B with `FAT12`/`FAT16` at
/// 0x36, or offset 0x47 with `FAT32` at 0x52), trimming spaces and NULs.
fn label_seen_by_blockdevice_v0(img: &[u8]) -> Option<String> {
    let trim = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .trim_matches(|c| c == ' ' || c == '\0')
            .to_string()
    };
    if img.get(0x8001..0x8006) == Some(b"CD001") {
        return Some(trim(&img[0x8000 + 40..0x8000 + 72]));
    }
    if trim(&img[0x52..0x5A]) == "FAT32" {
        return Some(trim(&img[0x47..0x52]));
    }
    if matches!(trim(&img[0x36..0x3E]).as_str(), "FAT12" | "FAT16") {
        return Some(trim(&img[0x2B..0x36]));
    }
    None
}

/// The ISO label as Talos v1.12+ sees it: go-blockdevice v2
/// (`blkid/internal/filesystems/iso9660/iso9660.go`) scans descriptors
/// 16.. up to the terminator, prefers the last supplementary (Joliet)
/// descriptor's volume id decoded as UTF-16BE, else the primary one, and
/// trims trailing spaces only (NULs stayed before v2.0.28, Talos v1.12.7).
fn iso_label_seen_by_blockdevice_v2(img: &[u8]) -> Option<String> {
    let (mut pvd, mut svd) = (None, None);
    for i in 0..16 {
        let at = 0x8000 + 2048 * i;
        let Some(vd) = img.get(at..at + 2048) else {
            break;
        };
        match vd[0] {
            255 => break,
            1 => pvd = Some(vd),
            2 => svd = Some(vd),
            _ => {}
        }
        if pvd.is_some() && svd.is_some() {
            break;
        }
    }
    let pvd = pvd?;
    if let Some(svd) = svd {
        let units: Vec<u16> = svd[40..72]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        if let Ok(s) = String::from_utf16(&units) {
            return Some(s.trim_end_matches(' ').to_string());
        }
    }
    Some(
        String::from_utf8_lossy(&pvd[40..72])
            .trim_end_matches(' ')
            .to_string(),
    )
}

/// Checks a VFAT image against go-blockdevice v2's VFAT probe
/// (`blkid/internal/filesystems/vfat/vfat.go`): one of its magics, then the
/// sanity checks on the boot sector it applies before accepting the volume.
fn vfat_accepted_by_blockdevice_v2(img: &[u8]) -> bool {
    let magic = [
        (0x52, &b"MSWIN"[..]),
        (0x52, b"FAT32   "),
        (0x36, b"MSDOS"),
        (0x36, b"FAT16   "),
        (0x36, b"FAT12   "),
        (0x36, b"FAT     "),
    ]
    .iter()
    .any(|(at, m)| img.get(*at..at + m.len()) == Some(*m));
    let sector = u16::from_le_bytes([img[0x0B], img[0x0C]]);
    let cluster = img[0x0D];
    let reserved = u16::from_le_bytes([img[0x0E], img[0x0F]]);
    let fats = img[0x10];
    let media = img[0x15];
    magic
        && fats != 0
        && reserved != 0
        && (media >= 0xf8 || media == 0xf0)
        && cluster.is_power_of_two()
        && sector.is_power_of_two()
        && (512..=4096).contains(&sector)
}

/// The first volume-label entry (attribute 0x08, not a long-name part) of a
/// FAT12/16 root directory, where libblkid (and so `lsblk`/`blkid` LABEL)
/// reads the label.
fn fat_root_dir_label(img: &[u8]) -> Option<String> {
    let sector = usize::from(u16::from_le_bytes([img[0x0B], img[0x0C]]));
    let reserved = usize::from(u16::from_le_bytes([img[0x0E], img[0x0F]]));
    let fats = usize::from(img[0x10]);
    let entries = usize::from(u16::from_le_bytes([img[0x11], img[0x12]]));
    let fat_len = usize::from(u16::from_le_bytes([img[0x16], img[0x17]]));
    let root = (reserved + fats * fat_len) * sector;
    (0..entries).find_map(|i| {
        let e = img.get(root + 32 * i..root + 32 * i + 32)?;
        (e[0] != 0 && e[0] != 0xE5 && e[11] & 0x3F == 0x08)
            .then(|| String::from_utf8_lossy(&e[..11]).trim_end().to_string())
    })
}

#[test]
fn every_talos_prober_reads_the_cidata_labels() {
    let nc = network_config();
    let big = vec![b'#'; 3 * 1024 * 1024];
    for payload in [USER_DATA, &big[..]] {
        let mut f = files(&nc);
        f[0].1 = payload;

        let iso = build_iso(&f, &IsoOptions::default()).unwrap();
        assert_eq!(
            label_seen_by_blockdevice_v0(&iso).as_deref(),
            Some("cidata")
        );
        assert_eq!(
            iso_label_seen_by_blockdevice_v2(&iso).as_deref(),
            Some("cidata")
        );

        let vfat = build_vfat(&f, &VfatOptions::default()).unwrap();
        assert_eq!(
            label_seen_by_blockdevice_v0(&vfat).as_deref(),
            Some("CIDATA")
        );
        assert!(vfat_accepted_by_blockdevice_v2(&vfat));
        // Boot-sector label with the extended boot signature, and the
        // root-directory entry: whichever of the two a prober reads.
        assert_eq!(vfat[0x26], 0x29);
        assert_eq!(fat_root_dir_label(&vfat).as_deref(), Some("CIDATA"));
    }
}
