//! A minimal ISO9660 writer with a Joliet tree: one root directory holding
//! a few small files, byte-for-byte reproducible.
//!
//! Why these choices (Talos v1.0 to v1.11 find the seed with go-blockdevice
//! v0.4, which reads the primary volume identifier; v1.12 and later with
//! go-blockdevice v2's `blkid` probe, `filesystems/iso9660/iso9660.go`):
//! - the v2 probe prefers the Joliet volume identifier when a supplementary
//!   descriptor exists, so both identifiers say `cidata`;
//! - identifiers are padded with spaces: the v2 probe trimmed only spaces
//!   before v2.0.28, so a NUL-padded label did not match `cidata` up to
//!   Talos v1.12.6 (siderolabs/talos#13063);
//! - the v2 probe reads the volume size through 16 bits only, so images stay
//!   below 65536 sectors;
//! - small images are padded to [`MIN_ISO_BYTES`]: Talos v1.12.0 could not
//!   probe devices under 64 KiB (siderolabs/talos#12477, fixed in v1.12.1),
//!   and a megabyte leaves a wide margin;
//! - names live in the Joliet tree: Linux mounts it by default, and the
//!   primary tree's names (`USER_DATA.;1`) would read back as `user_data`.

use crate::error::{Error, Result};

const SECTOR: usize = 2048;
/// Smallest image written (1 MiB), see the module docs.
pub const MIN_ISO_BYTES: usize = 1024 * 1024;
const MAX_SECTORS: usize = 65535;

/// The volume identifier Talos and cloud-init look for.
pub const CIDATA_ISO_LABEL: &str = "cidata";

// Fixed layout: descriptors at 16..=18, path tables, one root directory
// sector per tree, then file data.
const PVD: usize = 16;
const SVD: usize = 17;
const TERMINATOR: usize = 18;
const PATH_L: usize = 19;
const PATH_M: usize = 20;
const JPATH_L: usize = 21;
const JPATH_M: usize = 22;
const ROOT: usize = 23;
const JROOT: usize = 24;
const FIRST_DATA: usize = 25;

/// Options for [`build_iso`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsoOptions {
    /// Volume identifier (`cidata` by default); at most 16 characters so it
    /// fits the Joliet field too.
    pub label: String,
    /// Timestamp written everywhere, in seconds since the Unix epoch (0 by
    /// default), so equal inputs give equal bytes.
    pub timestamp: u64,
}

impl Default for IsoOptions {
    fn default() -> Self {
        Self {
            label: CIDATA_ISO_LABEL.to_string(),
            timestamp: 0,
        }
    }
}

/// Builds an ISO9660 image with a Joliet tree holding `files` (name, bytes)
/// at the root. Names are short lower-case file names such as `user-data`.
pub fn build_iso(files: &[(&str, &[u8])], opts: &IsoOptions) -> Result<Vec<u8>> {
    let label_ok = !opts.label.is_empty()
        && opts.label.len() <= 16
        && opts
            .label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !label_ok {
        return Err(Error::Image {
            image: "iso9660",
            file: opts.label.clone(),
            reason: "labels have 1 to 16 letters, digits, '_' or '-'".into(),
        });
    }
    let date = DateTime::from_unix(opts.timestamp);

    // Lay out the file data.
    let mut entries = Vec::new();
    let mut next = FIRST_DATA;
    for (name, data) in files {
        validate_name(name)?;
        let sectors = data.len().div_ceil(SECTOR);
        entries.push(Entry {
            iso_name: iso_name(name),
            joliet_name: (*name).to_string(),
            extent: next,
            data,
        });
        next += sectors;
    }
    for (i, a) in entries.iter().enumerate() {
        if entries.iter().take(i).any(|b| b.iso_name == a.iso_name) {
            return Err(Error::Image {
                image: "iso9660",
                file: a.joliet_name.clone(),
                reason: "two files map to the same ISO9660 name".into(),
            });
        }
    }
    let total = next.max(MIN_ISO_BYTES / SECTOR);
    if total > MAX_SECTORS {
        return Err(Error::Image {
            image: "iso9660",
            file: String::new(),
            reason: "files too large for a cidata image (128 MiB at most)".into(),
        });
    }

    let mut img = vec![0u8; total * SECTOR];
    let root_iso = directory(&entries, ROOT, &date, false)?;
    let root_joliet = directory(&entries, JROOT, &date, true)?;
    write_at(&mut img, ROOT * SECTOR, &root_iso);
    write_at(&mut img, JROOT * SECTOR, &root_joliet);
    for e in &entries {
        write_at(&mut img, e.extent * SECTOR, e.data);
    }
    for (at, root, big) in [
        (PATH_L, ROOT, false),
        (PATH_M, ROOT, true),
        (JPATH_L, JROOT, false),
        (JPATH_M, JROOT, true),
    ] {
        write_at(&mut img, at * SECTOR, &path_table(root, big));
    }
    let pvd = descriptor(1, &opts.label, total, ROOT, PATH_L, PATH_M, &date, false);
    let svd = descriptor(2, &opts.label, total, JROOT, JPATH_L, JPATH_M, &date, true);
    write_at(&mut img, PVD * SECTOR, &pvd);
    write_at(&mut img, SVD * SECTOR, &svd);
    // The set terminator: type 255, the standard identifier, version 1.
    write_at(&mut img, TERMINATOR * SECTOR, b"\xffCD001\x01");
    Ok(img)
}

struct Entry<'a> {
    iso_name: String,
    joliet_name: String,
    extent: usize,
    data: &'a [u8],
}

fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 30
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Image {
            image: "iso9660",
            file: name.to_string(),
            reason: "names have 1 to 30 lower-case letters, digits, '-', '_' or '.'".into(),
        })
    }
}

/// The primary-tree name: d-characters only, with the mandatory `.` and
/// version suffix (`user-data` becomes `USER_DATA.;1`).
fn iso_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' => c.to_ascii_uppercase(),
            _ => '_',
        })
        .collect();
    if !s.contains('.') {
        s.push('.');
    }
    s.push_str(";1");
    s
}

/// Copies `data` into `img` at byte `at`. Every caller writes inside a
/// buffer it sized for the layout, so nothing is ever skipped.
fn write_at(img: &mut [u8], at: usize, data: &[u8]) {
    if let Some(dst) = img.get_mut(at..at + data.len()) {
        dst.copy_from_slice(data);
    }
}

fn both16(v: u16) -> [u8; 4] {
    let [a, b] = v.to_le_bytes();
    [a, b, b, a]
}

fn both32(v: u32) -> [u8; 8] {
    let le = v.to_le_bytes();
    let be = v.to_be_bytes();
    [le[0], le[1], le[2], le[3], be[0], be[1], be[2], be[3]]
}

fn u32_of(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A calendar date-time in UTC, from Unix seconds.
struct DateTime {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl DateTime {
    fn from_unix(secs: u64) -> Self {
        let days = secs / 86_400;
        let rem = secs % 86_400;
        // Civil-from-days (proleptic Gregorian), valid for any u64 day count
        // we accept here.
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + u64::from(month <= 2);
        let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Self {
            year: clamp(year.min(9999)),
            month: clamp(month),
            day: clamp(day),
            hour: clamp(rem / 3600),
            minute: clamp(rem % 3600 / 60),
            second: clamp(rem % 60),
        }
    }

    /// The 7-byte directory-record form.
    fn record(&self) -> [u8; 7] {
        let b = |v: u32| u8::try_from(v).unwrap_or(u8::MAX);
        [
            b(self.year.saturating_sub(1900)),
            b(self.month),
            b(self.day),
            b(self.hour),
            b(self.minute),
            b(self.second),
            0,
        ]
    }

    /// The 17-byte volume-descriptor form (digits, hundredths, UTC offset).
    fn volume(&self) -> [u8; 17] {
        let text = format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}00",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        let mut out = [0u8; 17];
        for (dst, src) in out.iter_mut().zip(text.bytes().take(16)) {
            *dst = src;
        }
        out
    }
}

fn record(name: &[u8], extent: usize, size: usize, dir: bool, date: &DateTime) -> Vec<u8> {
    let len = 33 + name.len() + usize::from(name.len().is_multiple_of(2));
    let mut r = vec![0u8; len];
    write_at(&mut r, 0, &[u8::try_from(len).unwrap_or(u8::MAX)]);
    write_at(&mut r, 2, &both32(u32_of(extent)));
    write_at(&mut r, 10, &both32(u32_of(size)));
    write_at(&mut r, 18, &date.record());
    write_at(&mut r, 25, &[if dir { 2 } else { 0 }]);
    write_at(&mut r, 28, &both16(1));
    write_at(&mut r, 32, &[u8::try_from(name.len()).unwrap_or(u8::MAX)]);
    write_at(&mut r, 33, name);
    r
}

fn ucs2(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

fn directory(entries: &[Entry<'_>], at: usize, date: &DateTime, joliet: bool) -> Result<Vec<u8>> {
    let mut out = record(&[0], at, SECTOR, true, date);
    out.extend(record(&[1], at, SECTOR, true, date));
    let mut named: Vec<(Vec<u8>, &Entry<'_>)> = entries
        .iter()
        .map(|e| {
            let name = if joliet {
                ucs2(&e.joliet_name)
            } else {
                e.iso_name.clone().into_bytes()
            };
            (name, e)
        })
        .collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, e) in named {
        out.extend(record(&name, e.extent, e.data.len(), false, date));
    }
    if out.len() > SECTOR {
        return Err(Error::Image {
            image: "iso9660",
            file: String::new(),
            reason: "too many files for one root directory sector".into(),
        });
    }
    Ok(out)
}

fn path_table(root: usize, big_endian: bool) -> Vec<u8> {
    let extent = u32_of(root);
    let mut t = vec![1u8, 0];
    t.extend(if big_endian {
        extent.to_be_bytes()
    } else {
        extent.to_le_bytes()
    });
    t.extend(if big_endian {
        1u16.to_be_bytes()
    } else {
        1u16.to_le_bytes()
    });
    t.extend([0, 0]);
    t
}

/// `text` padded with spaces (or cut) to exactly `len` bytes, as bytes or
/// as UCS-2 BE.
fn padded(text: &str, len: usize, joliet: bool) -> Vec<u8> {
    let mut out = if joliet {
        ucs2(text)
    } else {
        text.as_bytes().to_vec()
    };
    while out.len() < len {
        if joliet {
            out.extend([0, b' ']);
        } else {
            out.push(b' ');
        }
    }
    out.truncate(len);
    if joliet && len % 2 == 1 {
        // Odd-length Joliet fields end with a lone padding byte.
        if let Some(last) = out.last_mut() {
            *last = 0;
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn descriptor(
    kind: u8,
    label: &str,
    total: usize,
    root: usize,
    path_l: usize,
    path_m: usize,
    date: &DateTime,
    joliet: bool,
) -> Vec<u8> {
    let mut d = vec![0u8; SECTOR];
    write_at(&mut d, 0, &[kind]);
    write_at(&mut d, 1, b"CD001");
    write_at(&mut d, 6, &[1]);
    write_at(&mut d, 8, &padded("", 32, joliet));
    write_at(&mut d, 40, &padded(label, 32, joliet));
    write_at(&mut d, 80, &both32(u32_of(total)));
    if joliet {
        // UCS-2 level 3 escape sequence.
        write_at(&mut d, 88, b"%/E");
    }
    write_at(&mut d, 120, &both16(1));
    write_at(&mut d, 124, &both16(1));
    write_at(&mut d, 128, &both16(2048));
    write_at(&mut d, 132, &both32(10));
    write_at(&mut d, 140, &u32_of(path_l).to_le_bytes());
    write_at(&mut d, 148, &u32_of(path_m).to_be_bytes());
    // The root directory record: 34 bytes (a one-byte name).
    write_at(&mut d, 156, &record(&[0], root, SECTOR, true, date));
    write_at(&mut d, 190, &padded("", 128, joliet));
    write_at(&mut d, 318, &padded("", 128, joliet));
    write_at(&mut d, 446, &padded("", 128, joliet));
    write_at(&mut d, 574, &padded("TALGEN", 128, joliet));
    write_at(&mut d, 702, &padded("", 37, joliet));
    write_at(&mut d, 739, &padded("", 37, joliet));
    write_at(&mut d, 776, &padded("", 37, joliet));
    let stamp = date.volume();
    write_at(&mut d, 813, &stamp);
    write_at(&mut d, 830, &stamp);
    write_at(&mut d, 847, b"0000000000000000");
    write_at(&mut d, 864, b"0000000000000000");
    write_at(&mut d, 881, &[1]);
    d
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn image() -> Vec<u8> {
        build_iso(
            &[
                ("user-data", b"machine: {}\n"),
                ("meta-data", b""),
                ("network-config", b"version: 1\n"),
            ],
            &IsoOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn labels_are_space_padded_in_both_descriptors() {
        let img = image();
        let pvd = &img[PVD * SECTOR..];
        assert_eq!(&pvd[40..72], format!("{:32}", "cidata").as_bytes());
        let svd = &img[SVD * SECTOR..];
        let mut want = ucs2("cidata");
        while want.len() < 32 {
            want.extend([0, b' ']);
        }
        assert_eq!(&svd[40..72], &want[..]);
        assert_eq!(svd[0], 2);
        assert_eq!(&svd[88..91], b"%/E");
    }

    #[test]
    fn padded_and_sized_for_talos_probe() {
        let img = image();
        assert_eq!(img.len(), MIN_ISO_BYTES);
        let sectors = u16::from_le_bytes([img[PVD * SECTOR + 80], img[PVD * SECTOR + 81]]);
        assert_eq!(usize::from(sectors) * SECTOR, img.len());
    }

    #[test]
    fn reproducible() {
        assert_eq!(image(), image());
    }

    #[test]
    fn names() {
        assert_eq!(iso_name("user-data"), "USER_DATA.;1");
        assert_eq!(iso_name("a.b"), "A.B;1");
        assert!(build_iso(&[("User", b"")], &IsoOptions::default()).is_err());
        assert!(build_iso(&[("a-b", b""), ("a_b", b"")], &IsoOptions::default()).is_err());
    }

    #[test]
    fn dates() {
        let d = DateTime::from_unix(1_700_000_000);
        assert_eq!(&d.volume()[..16], b"2023111422132000");
    }
}
