//! VFAT (FAT12/16) cidata images, written with the `fatfs` crate.
//!
//! The label `CIDATA` goes into the boot sector and into the root
//! directory's volume-label entry, so every prober finds it:
//! - Talos v1.0 to v1.11 look the volume up with go-blockdevice v0.4, which
//!   reads the boot-sector label only;
//! - Talos v1.12 and later use volume discovery (go-blockdevice v2, which
//!   reads VFAT labels since v2.0.7) and match `cidata` or `CIDATA`;
//!   v1.12.0 to v1.12.2 mounted VFAT read-write, which fails on a read-only
//!   disk (siderolabs/talos#12647);
//! - libblkid (`blkid`, `lsblk`, cloud-init) reads the root-directory entry.
//!
//! Attach the image as a disk, not as a CD-ROM: its 512-byte sectors do not
//! mount on a 2048-byte-sector optical drive.
//!
//! Timestamps are the fixed DOS epoch and the volume serial is fixed, so
//! equal inputs give equal bytes.

use std::io::{Cursor, Write as _};

use crate::error::{Error, Result};

/// The label written to VFAT images.
pub const CIDATA_VFAT_LABEL: &str = "CIDATA";
/// Smallest VFAT image written (1 MiB).
pub const MIN_VFAT_BYTES: usize = 1024 * 1024;

/// Options for [`build_vfat`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VfatOptions {
    /// Volume label, at most 11 upper-case characters (`CIDATA`).
    pub label: String,
    /// Volume serial number (fixed for reproducible output).
    pub volume_id: u32,
}

impl Default for VfatOptions {
    fn default() -> Self {
        Self {
            label: CIDATA_VFAT_LABEL.to_string(),
            volume_id: 0x7a16_c1d0,
        }
    }
}

/// Builds a VFAT image holding `files` (name, bytes) at the root.
pub fn build_vfat(files: &[(&str, &[u8])], opts: &VfatOptions) -> Result<Vec<u8>> {
    let io = |file: &str, e: std::io::Error| Error::Image {
        image: "vfat",
        file: file.to_string(),
        reason: e.to_string(),
    };
    let label_ok = !opts.label.is_empty()
        && opts.label.len() <= 11
        && opts
            .label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !label_ok {
        return Err(Error::Image {
            image: "vfat",
            file: opts.label.clone(),
            reason: "labels have 1 to 11 upper-case letters, digits, '_' or '-'".into(),
        });
    }
    let mut label = [b' '; 11];
    for (dst, src) in label.iter_mut().zip(opts.label.bytes()) {
        *dst = src;
    }

    let payload: usize = files
        .iter()
        .map(|(_, d)| d.len().div_ceil(4096) * 4096)
        .sum();
    let size = (payload * 2 + 512 * 1024)
        .max(MIN_VFAT_BYTES)
        .div_ceil(64 * 1024)
        * (64 * 1024);
    let mut disk = Cursor::new(vec![0u8; size]);
    fatfs::format_volume(
        &mut disk,
        fatfs::FormatVolumeOptions::new()
            .volume_label(label)
            .volume_id(opts.volume_id),
    )
    .map_err(|e| io("", e))?;
    {
        let fs =
            fatfs::FileSystem::new(&mut disk, fatfs::FsOptions::new()).map_err(|e| io("", e))?;
        {
            let root = fs.root_dir();
            for (name, data) in files {
                let mut f = root.create_file(name).map_err(|e| io(name, e))?;
                f.truncate().map_err(|e| io(name, e))?;
                f.write_all(data).map_err(|e| io(name, e))?;
                f.flush().map_err(|e| io(name, e))?;
            }
        }
        fs.unmount().map_err(|e| io("", e))?;
    }
    Ok(disk.into_inner())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::io::Read as _;

    use super::*;

    #[test]
    fn labels_files_and_reproducibility() {
        let files: &[(&str, &[u8])] = &[
            ("user-data", b"machine: {}\n"),
            ("network-config", b"version: 1\n"),
        ];
        let img = build_vfat(files, &VfatOptions::default()).unwrap();
        assert_eq!(img, build_vfat(files, &VfatOptions::default()).unwrap());
        assert_eq!(img.len(), MIN_VFAT_BYTES);
        let mut cur = Cursor::new(img);
        let fs = fatfs::FileSystem::new(&mut cur, fatfs::FsOptions::new()).unwrap();
        assert_eq!(fs.volume_label(), "CIDATA");
        assert_eq!(
            fs.read_volume_label_from_root_dir().unwrap().as_deref(),
            Some("CIDATA")
        );
        let mut s = String::new();
        fs.root_dir()
            .open_file("user-data")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "machine: {}\n");
    }
}
