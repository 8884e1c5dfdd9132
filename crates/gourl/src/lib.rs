//! Go's standard library as Talos's Go binaries see it: the same
//! accept/reject decisions (Go 1.26 rules, error texts included) and the
//! same printing, so that what talgen reads and writes is byte-identical
//! to Talos's. The one home in talgen for Go semantics: `net/url`,
//! [`netip`] (`ParseAddr`, `ParsePrefix`, `ParseAddrPort`), [`net`]
//! (`ParseIP`, `ParseCIDR`, `ParseMAC`, `SplitHostPort`, `JoinHostPort`),
//! `strconv.Quote`, [`duration`] (`time.ParseDuration`,
//! `Duration.String`), [`csv`] (one `encoding/csv` record, as pflag's
//! slice flags read it), [`strconv`] (`ParseInt`, `ParseUint`, `Atoi`,
//! `ParseBool`), [`filepath`]
//! (`Clean`, `Join`, `Dir`) and [`multierror`] (hashicorp/go-multierror's
//! text).
//!
//! [`GoUrl::parse`] accepts exactly what `url.Parse` accepts (and
//! [`GoUrl::parse_request_uri`] what `url.ParseRequestURI` does) and keeps the
//! components Go keeps; its [`Display`](std::fmt::Display) is
//! `(*url.URL).String`. [`parse_addr`] is `netip.ParseAddr` and
//! [`go_quote`] is the `%q` verb Go's error messages use.
//!
//! This crate does not resolve references, build query strings or read
//! anything from the network: only what config generation, patching and
//! NoCloud seed checks need.
//!
//! ```
//! use talgen_gourl::{GoUrl, UrlError};
//!
//! let url = GoUrl::parse("HTTPS://[fd00::1]:6443/a b").unwrap();
//! assert_eq!(url.hostname(), "fd00::1");
//! assert_eq!(url.port(), "6443");
//! assert_eq!(url.to_string(), "https://[fd00::1]:6443/a%20b");
//!
//! // Go 1.26: outside brackets, the first colon starts the port.
//! assert_eq!(
//!     GoUrl::parse("https://a:1:2").unwrap_err().to_string(),
//!     r#"invalid port ":1:2" after host"#,
//! );
//! assert_eq!(GoUrl::parse(":6443"), Err(UrlError::MissingScheme));
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

pub mod csv;
pub mod duration;
pub mod filepath;
pub mod multierror;
pub mod net;
pub mod netip;
mod quote;
pub mod strconv;
mod url;

pub use netip::parse_addr;
pub use quote::go_quote;
pub use url::{GoUrl, UrlError};
