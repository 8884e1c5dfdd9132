//! Talos version contracts: the one place that says which generation
//! behaviour belongs to which Talos minor release.
//!
//! Ports `pkg/machinery/config/contract.go`. A [`Contract`] is parsed from
//! what users type (`v1.9`, `1.9`, `v1.9.3`, `v1.14.0-beta.1`) and answers
//! one predicate per contract-gated behaviour. Generation code asks these
//! predicates and never compares versions itself.
//!
//! This crate does not know any defaults or config shapes; it only names the
//! release in which each behaviour appeared.
//!
//! ```
//! use talgen_contract::Contract;
//!
//! let c: Contract = "v1.7.4".parse().unwrap();
//! assert_eq!(c.to_string(), "v1.7");
//! assert!(c.use_rsa_service_account_key());
//! assert!(!Contract::V1_5.kube_prism_enabled());
//! assert!("v1.16".parse::<Contract>().is_err());
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod predicates;
mod version;

pub use version::{Contract, ParseError};

#[doc(hidden)]
pub use predicates::{NamedPredicate, PREDICATES};
