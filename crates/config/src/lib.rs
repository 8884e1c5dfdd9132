//! Typed model of Talos machine config documents, with strict loading and
//! exact encoding.
//!
//! Ports the document types of Talos's `pkg/machinery/config/types/` (the
//! legacy `v1alpha1` document in [`v1alpha1`], every multi-document kind in
//! [`types`]) together with `configloader` and `container`: [`load`] splits a
//! YAML stream, picks each document's kind and decodes it strictly (unknown
//! fields, wrong types and duplicate documents are errors naming the document,
//! the field path and the line), and [`Container::encode`] writes the bytes
//! Talos's encoder writes. Field order, omitted fields and empty values follow
//! the Go structs, because they decide the output bytes.
//!
//! It does not apply defaults, generate configs (`talgen-generate`), merge
//! patches (`talgen-patch`) or judge semantics (`talgen-validate`).
//!
//! ```
//! let yaml = "apiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n";
//! let config = talgen_config::load(yaml)?;
//! assert_eq!(config.documents().len(), 1);
//! assert_eq!(config.encode()?, yaml);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

pub mod container;
mod error;
pub mod loader;
pub mod meta;
#[cfg(feature = "schema")]
pub mod schema;
pub mod types;
pub mod v1alpha1;

pub use container::{encode_document, Container, Document, KINDS};
pub use error::{DocumentRef, Error, Position};
pub use loader::{load, load_bytes, load_documents, load_nodes};
