//! Integration tests of talgen-yaml, one binary with themed modules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod corpus;
mod props;
mod rules;
mod serde_model;
mod v2_kubectl;
mod v2_rules;
