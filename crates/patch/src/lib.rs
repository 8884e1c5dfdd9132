//! Talos config patches: strategic merge and RFC 6902 JSON patches.
#![forbid(unsafe_code)]
