//! Integration tests of talgen-patch: the upstream configpatcher and
//! strategic corpora, patch loading, and properties of the merge.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod configpatcher;
mod load;
mod properties;
mod stability;
mod strategic;
