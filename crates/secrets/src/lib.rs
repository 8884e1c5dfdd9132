//! Talos secrets bundles: generation per contract and the secrets.yaml format.
#![forbid(unsafe_code)]
