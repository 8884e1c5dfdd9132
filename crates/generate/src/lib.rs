//! Generates Talos controlplane, worker and init configs per version contract.
#![forbid(unsafe_code)]
