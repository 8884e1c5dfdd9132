//! A YAML encoder that writes exactly what Go's yaml package writes.
#![forbid(unsafe_code)]
