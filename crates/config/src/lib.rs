//! Typed model of Talos machine config documents, with strict loading and exact encoding.
#![forbid(unsafe_code)]
