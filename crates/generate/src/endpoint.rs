//! Cluster endpoint checks of `talosctl gen config`
//! (`cmd/talosctl/cmd/mgmt/gen/config.go` and `siderolabs/net`'s
//! `ValidateEndpointURI`): the endpoint must be an `https://` URL with a
//! usable host, and a rejected endpoint comes with a corrected suggestion.

use talgen_gourl::{go_quote, GoUrl, UrlError};

use crate::constants::DEFAULT_CONTROL_PLANE_PORT;

/// Why a cluster endpoint is refused. Variants that carry `suggestion` hold
/// the endpoint as talosctl would have fixed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The endpoint does not parse as a URL.
    #[error("failed to parse the cluster endpoint URL: parse {}: {source}", go_quote(.endpoint))]
    Unparsable {
        /// The endpoint as Go's error names it: up to a `#`, unless the
        /// fragment was at fault.
        endpoint: String,
        /// What Go's URL parser rejected.
        #[source]
        source: UrlError,
    },
    /// Neither a scheme nor a port was given.
    #[error("no scheme and port specified for the cluster endpoint URL\ntry: {}", go_quote(.suggestion))]
    NoSchemeNoPort {
        /// The corrected endpoint.
        suggestion: String,
    },
    /// A port but no scheme was given.
    #[error("no scheme specified for the cluster endpoint URL\ntry: {}", go_quote(.suggestion))]
    NoScheme {
        /// The corrected endpoint.
        suggestion: String,
    },
    /// The scheme is not `https`.
    #[error("the control plane endpoint URL should have scheme https://\ntry: {}", go_quote(.suggestion))]
    NotHttps {
        /// The corrected endpoint.
        suggestion: String,
    },
    /// An IPv6 address host is not enclosed in brackets.
    #[error("error validating the cluster endpoint URL: IPv6 addresses MUST be enclosed by square brackets")]
    UnbracketedIpv6,
    /// The host name is empty.
    #[error("error validating the cluster endpoint URL: hostname must not be blank")]
    BlankHostname,
    /// The port is not a number.
    #[error("error validating the cluster endpoint URL: port number must be numeric")]
    NonNumericPort,
    /// The port is outside 1..=65535.
    #[error("error validating the cluster endpoint URL: port number must be between 1 and 65535")]
    PortOutOfRange,
}

/// The endpoint as talosctl suggests it: host moved out of the path when
/// the input had no `//`, scheme forced to https, default port added.
fn suggest(mut u: GoUrl) -> String {
    if u.scheme.is_empty() && u.host.is_empty() && !u.path.is_empty() {
        // Go moves the decoded path into the host, which printing escapes.
        u.host = u.decoded_path();
        u.path.clear();
    }
    u.scheme = "https".to_owned();
    if u.port().is_empty() {
        u.host = format!("{}:{DEFAULT_CONTROL_PLANE_PORT}", u.host);
    }
    u.to_string()
}

/// Accepts exactly the endpoints `talosctl gen config` accepts.
///
/// ```
/// use talgen_generate::validate_cluster_endpoint;
///
/// assert!(validate_cluster_endpoint("https://10.0.0.1:6443").is_ok());
/// let err = validate_cluster_endpoint("10.0.0.1").unwrap_err();
/// assert!(err.to_string().ends_with("try: \"https://10.0.0.1:6443\""));
/// ```
pub fn validate_cluster_endpoint(endpoint: &str) -> Result<(), EndpointError> {
    let u = match GoUrl::parse(endpoint) {
        Ok(u) => u,
        // Go falls back to "host:port" when the text has no slash at all.
        Err(_) if !endpoint.contains('/') => GoUrl {
            host: endpoint.to_owned(),
            ..GoUrl::default()
        },
        Err(source) => {
            // Go's `url.Error` names the text before `#` unless the
            // fragment itself was the problem.
            let before_fragment = endpoint.split('#').next().unwrap_or(endpoint);
            let named = if GoUrl::parse(before_fragment).is_err() {
                before_fragment
            } else {
                endpoint
            };
            return Err(EndpointError::Unparsable {
                endpoint: named.to_owned(),
                source,
            });
        }
    };
    if u.scheme.is_empty() {
        let no_port = u.port().is_empty();
        let suggestion = suggest(u);
        return Err(if no_port {
            EndpointError::NoSchemeNoPort { suggestion }
        } else {
            EndpointError::NoScheme { suggestion }
        });
    }
    if u.scheme != "https" {
        return Err(EndpointError::NotHttps {
            suggestion: suggest(u),
        });
    }
    validate_endpoint_uri(&u)
}

/// `siderolabs/net.ValidateEndpointURI` on an already parsed URL.
fn validate_endpoint_uri(u: &GoUrl) -> Result<(), EndpointError> {
    if u.host.matches(':').count() > 2 && !(u.host.contains('[') && u.host.contains(']')) {
        return Err(EndpointError::UnbracketedIpv6);
    }
    if u.hostname().is_empty() {
        return Err(EndpointError::BlankHostname);
    }
    let port = u.port();
    if !port.is_empty() {
        // Go's Atoi fails on a digit run too large for an int, and that
        // failure is reported as a non-numeric port.
        match talgen_gourl::strconv::atoi(port) {
            Ok(p) if (1..=65535).contains(&p) => {}
            Ok(_) => return Err(EndpointError::PortOutOfRange),
            Err(_) => return Err(EndpointError::NonNumericPort),
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn suggestion(endpoint: &str) -> String {
        match validate_cluster_endpoint(endpoint).unwrap_err() {
            EndpointError::NoSchemeNoPort { suggestion }
            | EndpointError::NoScheme { suggestion }
            | EndpointError::NotHttps { suggestion } => suggestion,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn https_with_port_is_accepted() {
        validate_cluster_endpoint("https://base:6443").unwrap();
        validate_cluster_endpoint("https://[fd00::1]:6443").unwrap();
    }

    #[test]
    fn https_without_port_is_accepted_like_talosctl() {
        validate_cluster_endpoint("https://base").unwrap();
    }

    #[test]
    fn bare_host_gets_scheme_and_port() {
        assert_eq!(suggestion("base"), "https://base:6443");
        assert!(matches!(
            validate_cluster_endpoint("base"),
            Err(EndpointError::NoSchemeNoPort { .. })
        ));
    }

    #[test]
    fn host_port_gets_scheme() {
        assert_eq!(suggestion("10.5.0.2:6443"), "https://10.5.0.2:6443");
        assert!(matches!(
            validate_cluster_endpoint("10.5.0.2:6443"),
            Err(EndpointError::NoScheme { .. })
        ));
    }

    #[test]
    fn http_is_switched_to_https() {
        assert_eq!(suggestion("http://base:6443"), "https://base:6443");
        assert_eq!(suggestion("http://base"), "https://base:6443");
    }

    #[test]
    fn message_quotes_the_suggestion() {
        let msg = validate_cluster_endpoint("base").unwrap_err().to_string();
        assert_eq!(
            msg,
            "no scheme and port specified for the cluster endpoint URL\ntry: \"https://base:6443\""
        );
    }

    #[test]
    fn bad_ports_are_rejected() {
        assert_eq!(
            validate_cluster_endpoint("https://base:0"),
            Err(EndpointError::PortOutOfRange)
        );
        assert_eq!(
            validate_cluster_endpoint("https://base:70000"),
            Err(EndpointError::PortOutOfRange)
        );
        assert_eq!(
            validate_cluster_endpoint("https://base:99999999999999999999"),
            Err(EndpointError::NonNumericPort)
        );
        assert_eq!(
            validate_cluster_endpoint("https://base:0009223372036854775807"),
            Err(EndpointError::PortOutOfRange)
        );
    }

    #[test]
    fn blank_host_is_rejected() {
        assert_eq!(
            validate_cluster_endpoint("https://:6443"),
            Err(EndpointError::BlankHostname)
        );
    }
}
