//! Integration tests of talgen-patch: the upstream configpatcher and
//! strategic corpora, patch loading, and properties of the merge.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod configpatcher;
mod delete;
mod json6902;
mod load;
mod multidoc;
mod properties;
mod stability;
mod strategic;
mod typed;
mod upstream_rules;
