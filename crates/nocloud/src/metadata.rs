//! The `meta-data` file: instance identity and host names.
//!
//! Talos (`platform/nocloud/metadata.go`, `MetadataConfig`) reads
//! `hostname`, `local-hostname`, `public-hostname`, `instance-id`,
//! `instance-type`, `provider-id`, `region` and `zone`. `hostname` wins over
//! `local-hostname`; before Talos v1.11 `local-hostname` and
//! `public-hostname` were not read at all (wrong struct tags), so the writer
//! sets both `hostname` and `local-hostname`. Talos applies none of it when
//! the seed has no `network-config` (see [`crate::NodeNetwork`]).

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::names::{validate_hostname, validate_token};
use crate::yamlout::Writer;

/// The keys of a NoCloud `meta-data` file that Talos reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct MetaData {
    /// `instance-id`: cloud-init requires it; Talos reports it as platform
    /// metadata.
    #[serde(rename = "instance-id")]
    pub instance_id: Option<String>,
    /// `local-hostname`: the node name (Talos v1.11+).
    #[serde(rename = "local-hostname")]
    pub local_hostname: Option<String>,
    /// `hostname`: the node name, read by every Talos version.
    pub hostname: Option<String>,
    /// `public-hostname`: external DNS name, informational.
    #[serde(rename = "public-hostname")]
    pub public_hostname: Option<String>,
    /// `instance-type`, informational.
    #[serde(rename = "instance-type")]
    pub instance_type: Option<String>,
    /// `provider-id`, informational.
    #[serde(rename = "provider-id")]
    pub provider_id: Option<String>,
    /// `region`, informational (topology label source).
    pub region: Option<String>,
    /// `zone`, informational (topology label source).
    pub zone: Option<String>,
}

impl MetaData {
    /// Meta-data for a node called `hostname` (written to both `hostname`
    /// and `local-hostname`) with the given instance id.
    pub fn new(hostname: Option<&str>, instance_id: &str) -> Result<Self> {
        if let Some(h) = hostname {
            validate_hostname(h)?;
        }
        validate_token("instance id", instance_id, &[])?;
        Ok(Self {
            instance_id: Some(instance_id.to_string()),
            local_hostname: hostname.map(str::to_string),
            hostname: hostname.map(str::to_string),
            ..Self::default()
        })
    }

    /// The host name Talos derives: `hostname`, else `local-hostname`.
    pub fn effective_hostname(&self) -> Option<&str> {
        self.hostname
            .as_deref()
            .filter(|h| !h.is_empty())
            .or(self.local_hostname.as_deref())
            .filter(|h| !h.is_empty())
    }

    fn fields(&self) -> [(&'static str, &Option<String>); 8] {
        [
            ("instance-id", &self.instance_id),
            ("local-hostname", &self.local_hostname),
            ("hostname", &self.hostname),
            ("public-hostname", &self.public_hostname),
            ("instance-type", &self.instance_type),
            ("provider-id", &self.provider_id),
            ("region", &self.region),
            ("zone", &self.zone),
        ]
    }

    /// Checks every set value is a single line (and host names are valid).
    pub fn validate(&self) -> Result<()> {
        for (key, value) in self.fields() {
            if let Some(v) = value {
                validate_token(key, v, &[])?;
            }
        }
        for h in [&self.hostname, &self.local_hostname, &self.public_hostname]
            .into_iter()
            .flatten()
        {
            validate_hostname(h)?;
        }
        Ok(())
    }

    /// Renders the file: set keys only, values double-quoted.
    pub fn to_yaml(&self) -> Result<String> {
        self.validate()?;
        let mut w = Writer::default();
        for (key, value) in self.fields() {
            if let Some(v) = value {
                w.str(0, key, v);
            }
        }
        Ok(w.finish())
    }

    /// Parses a meta-data file (unknown keys are ignored and scalars read as
    /// text, as Talos does). A malformed file is an error here, while Talos
    /// ignores the error and keeps whatever fields it could decode.
    pub fn parse(text: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        serde_saphyr::from_str(text).map_err(|e| Error::Parse {
            document: "meta-data",
            reason: e.to_string(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_parses_back() {
        let m = MetaData::new(
            Some("talos-worker-3"),
            "80d6927ecb30c1707b12f38ed1211535930ff16e",
        )
        .unwrap();
        let text = m.to_yaml().unwrap();
        assert_eq!(
            text,
            "instance-id: \"80d6927ecb30c1707b12f38ed1211535930ff16e\"\n\
             local-hostname: \"talos-worker-3\"\n\
             hostname: \"talos-worker-3\"\n"
        );
        assert_eq!(MetaData::parse(&text).unwrap(), m);
    }

    #[test]
    fn parses_the_upstream_example_shape() {
        // Same keys and values as Talos's testdata/metadata-nocloud.yaml.
        let m = MetaData::parse(
            "instance-id: 80d6927ecb30c1707b12f38ed1211535930ff16e\nlocal-hostname: talos-worker-3\n",
        )
        .unwrap();
        assert_eq!(m.effective_hostname(), Some("talos-worker-3"));
        assert_eq!(
            m.instance_id.as_deref(),
            Some("80d6927ecb30c1707b12f38ed1211535930ff16e")
        );
    }

    #[test]
    fn hostname_wins_over_local_hostname() {
        let m = MetaData::parse("hostname: a\nlocal-hostname: b\nextra: 1\n").unwrap();
        assert_eq!(m.effective_hostname(), Some("a"));
    }

    #[test]
    fn refuses_multi_line_values() {
        let m = MetaData {
            region: Some("a\nb".into()),
            ..MetaData::default()
        };
        assert!(m.to_yaml().is_err());
    }
}
