//! Keys, PEM and X.509 certificates with the profiles Talos issues.
#![forbid(unsafe_code)]
