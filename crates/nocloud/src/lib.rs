//! NoCloud provisioning artifacts for Talos: seeds, SMBIOS serials and cidata images.
#![forbid(unsafe_code)]
