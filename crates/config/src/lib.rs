//! Typed model of Talos machine config documents, with strict loading and exact encoding.
//!
//! (Crate docs to be completed: the job, what it does not do, an example.)
#![forbid(unsafe_code)]

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
pub use loader::{load, load_bytes, load_documents};
