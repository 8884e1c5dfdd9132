//! JSON Schema of the config documents talgen reads (feature `schema`).
//!
//! The schema is derived from the typed model with `schemars`: every struct
//! of [`crate::v1alpha1`] and [`crate::types`] contributes one definition, its
//! doc comments become the descriptions, `deny_unknown_fields` becomes
//! `additionalProperties: false`. The value types whose YAML form is custom
//! (durations, PEM blobs, sizes, addresses, free-form maps) get hand-written
//! schemas below.
//!
//! talgen has one model for every Talos version it supports (the loader
//! accepts every kind whatever the version contract), so there is one schema:
//! it describes the union of what Talos v1.0 … v1.15 configs may contain. The
//! root is a `oneOf` over the document kinds, like Talos's published schema;
//! a multi-document kind is told apart by its required `apiVersion`/`kind`
//! constants, the legacy document by its `version` key.

use std::borrow::Cow;

use schemars::transform::{RecursiveTransform, Transform};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::meta::{Addr, Prefix};
use crate::meta::{
    AddrPort, ArgValue, Base64Bytes, Duration, PemEncodedCertificate, PemEncodedCertificateAndKey,
    PemEncodedKey, Unstructured, Url,
};
use crate::types::net::HardwareAddr;
use crate::types::network::PortRange;
use crate::types::runtime::EtcFileMode;
use crate::types::{
    self, block, cluster, container, cri, extensions, hardware, k8s, network, runtime, security,
    siderolink, storage,
};
use crate::v1alpha1::{self, DiskSize, Endpoint, FileMode, InstallDiskSizeMatcher};

/// The `$schema` of the generated document (JSON Schema draft 2020-12).
pub const META_SCHEMA: &str = "https://json-schema.org/draft/2020-12/schema";

/// The `$id` of the generated document.
pub const SCHEMA_ID: &str = "https://talgen.invalid/schemas/config.schema.json";

/// The name of the checked-in schema file under `schemas/`.
pub const FILE_NAME: &str = "config.schema.json";

/// The definition name of the legacy v1alpha1 document.
pub const V1ALPHA1_DEFINITION: &str = "v1alpha1.Config";

/// Calls `$m!(Type)` with every multi-document kind, in the loader's order.
macro_rules! with_kinds {
    ($m:ident) => {
        $m!(
            block::ExistingVolumeConfig,
            block::ExternalVolumeConfig,
            block::FilesystemScrubConfig,
            block::FilesystemTrimConfig,
            block::RawVolumeConfig,
            block::SwapVolumeConfig,
            block::UserVolumeConfig,
            block::VolumeConfig,
            block::ZswapConfig,
            cluster::DiscoveryIdentityConfig,
            cluster::DiscoveryServiceConfig,
            container::ContainerConfig,
            cri::CRIBaseRuntimeSpecConfig,
            cri::CRICustomizationConfig,
            cri::ImageCacheConfig,
            cri::RegistryAuthConfig,
            cri::RegistryMirrorConfig,
            cri::RegistryTLSConfig,
            extensions::ExtensionServiceConfig,
            hardware::PCIDriverRebindConfig,
            k8s::KubeAdmissionControlConfig,
            k8s::KubeAggregatorCAConfig,
            k8s::KubeAPIServerConfig,
            k8s::KubeAPIServerCAConfig,
            k8s::KubeAuditPolicyConfig,
            k8s::KubeAuthenticationConfig,
            k8s::KubeAuthorizerConfig,
            k8s::KubeClusterConfig,
            k8s::KubeControllerManagerConfig,
            k8s::KubeCoreDNSConfig,
            k8s::KubeCredentialProviderConfig,
            k8s::KubeEtcdEncryptionConfig,
            k8s::KubeExternalManifestConfig,
            k8s::KubeFlannelCNIConfig,
            k8s::KubeInlineManifestConfig,
            k8s::KubeletConfig,
            k8s::KubePrismConfig,
            k8s::KubeNetworkConfig,
            k8s::KubeNodeConfig,
            k8s::KubeProxyConfig,
            k8s::KubeSchedulerConfig,
            k8s::KubeServiceAccountConfig,
            k8s::KubeStaticPodConfig,
            k8s::KubeTalosAPIAccessConfig,
            network::BGPInstanceConfig,
            network::BlackholeRouteConfig,
            network::BondConfig,
            network::BridgeConfig,
            network::NetworkDefaultActionConfig,
            network::DHCPv4Config,
            network::DHCPv6Config,
            network::DummyLinkConfig,
            network::EthernetConfig,
            network::HCloudVIPConfig,
            network::HostnameConfig,
            network::HTTPProbeConfig,
            network::KubeSpanConfig,
            network::KubeSpanEndpointsConfig,
            network::Layer2VIPConfig,
            network::LinkConfig,
            network::LinkAliasConfig,
            network::ResolverConfig,
            network::RoutingRuleConfig,
            network::NetworkRuleConfig,
            network::StaticHostConfig,
            network::TCPProbeConfig,
            network::TimeSyncConfig,
            network::VethConfig,
            network::VLANConfig,
            network::VRFConfig,
            network::WireguardConfig,
            runtime::EnvironmentConfig,
            runtime::EtcFileConfig,
            runtime::EventSinkConfig,
            runtime::KernelModuleConfig,
            runtime::KmsgLogConfig,
            runtime::OOMConfig,
            runtime::SecurityProfileConfig,
            runtime::SysctlConfig,
            runtime::SysfsConfig,
            runtime::UdevRulesConfig,
            runtime::UnattendedInstallConfig,
            runtime::WatchdogTimerConfig,
            security::ImageVerificationConfig,
            security::TrustedRootsConfig,
            siderolink::SideroLinkConfig,
            storage::LVMLogicalVolumeConfig,
            storage::LVMVolumeGroupConfig,
            storage::RAIDArrayConfig,
        )
    };
}

/// Drops the `default` keyword schemars derives from `Default` impls: those
/// are Go zero values, not the defaults Talos applies, and would mislead.
#[derive(Clone)]
struct DropZeroDefaults;

impl Transform for DropZeroDefaults {
    fn transform(&mut self, schema: &mut Schema) {
        schema.remove("default");
    }
}

/// The JSON Schema of every config document talgen loads, as a JSON value.
///
/// The result depends only on the model, so it is the same on every call.
pub fn generate() -> Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(DropZeroDefaults))
        .into_generator();

    let mut one_of = vec![generator.subschema_for::<v1alpha1::Config>()];
    let mut kinds: Vec<KindHeader> = Vec::new();
    macro_rules! add_kinds {
        ($($ty:ty),+ $(,)?) => {
            $(
                let reference = generator.subschema_for::<$ty>();
                kinds.push(KindHeader {
                    definition: definition_name(&reference),
                    api_version: <$ty as types::Document>::API_VERSION,
                    kind: <$ty as types::Document>::KIND,
                    named: types::Document::name(&<$ty>::default()).is_some(),
                });
                one_of.push(reference);
            )+
        };
    }
    with_kinds!(add_kinds);

    let mut defs = generator.take_definitions(true);
    if let Some(Value::Object(config)) = defs.get_mut(V1ALPHA1_DEFINITION) {
        mark_v1alpha1(config);
    }
    for header in &kinds {
        if let Some(Value::Object(def)) = defs.get_mut(&header.definition) {
            mark_kind(def, header);
        }
    }

    json!({
        "$schema": META_SCHEMA,
        "$id": SCHEMA_ID,
        "title": "talgen machine config document",
        "description": "One document of a Talos machine config as talgen loads it: the legacy \
            v1alpha1 document (keyed by `version`) or a multi-document kind (keyed by \
            `apiVersion` and `kind`). A config file is a YAML stream of such documents; \
            validate each on its own. This schema covers every Talos version talgen supports.",
        "oneOf": one_of,
        "$defs": defs,
    })
}

/// [`generate`] rendered as the checked-in file: pretty JSON with a final newline.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&generate()).unwrap_or_default();
    text.push('\n');
    text
}

/// The `$defs` name for `kind` (`v1alpha1` for the legacy document), found
/// through the root `oneOf` of a schema made by [`generate`].
pub fn definition_for_kind(schema: &Value, kind: &str) -> Option<String> {
    if kind == "v1alpha1" {
        return Some(V1ALPHA1_DEFINITION.to_owned());
    }
    let defs = schema.get("$defs")?;
    schema
        .get("oneOf")?
        .as_array()?
        .iter()
        .filter_map(|r| r.get("$ref")?.as_str()?.strip_prefix("#/$defs/"))
        .find(|name| {
            defs.get(*name)
                .and_then(|d| d.pointer("/properties/kind/const"))
                .and_then(Value::as_str)
                == Some(kind)
        })
        .map(str::to_owned)
}

/// The definition name a `$ref` schema points at.
fn definition_name(reference: &Schema) -> String {
    reference
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
        .unwrap_or_default()
        .to_owned()
}

/// Pins `version` of the legacy document to `v1alpha1`.
fn mark_v1alpha1(def: &mut Map<String, Value>) {
    if let Some(Value::Object(props)) = def.get_mut("properties") {
        props.insert(
            "version".to_owned(),
            json!({
                "description": "Marks the legacy machine config document; always `v1alpha1`.",
                "const": v1alpha1::Config::VERSION,
            }),
        );
    }
}

/// What the root schema needs to know about one multi-document kind.
struct KindHeader {
    /// Its `$defs` name.
    definition: String,
    /// The `apiVersion` it requires.
    api_version: &'static str,
    /// The `kind` it requires.
    kind: &'static str,
    /// Whether documents of the kind are told apart by a `name`, which is then required.
    named: bool,
}

/// Adds the required `apiVersion`/`kind` header of a multi-document kind,
/// and makes `name` required for named kinds.
fn mark_kind(def: &mut Map<String, Value>, header: &KindHeader) {
    let KindHeader {
        api_version, kind, ..
    } = header;
    let mut props = Map::new();
    props.insert(
        "apiVersion".to_owned(),
        json!({ "description": "Version of the document's kind.", "const": api_version }),
    );
    props.insert(
        "kind".to_owned(),
        json!({ "description": "Which kind of document this is.", "const": kind }),
    );
    if let Some(Value::Object(own)) = def.remove("properties") {
        props.extend(own);
    }
    def.insert("properties".to_owned(), Value::Object(props));
    let mut required = vec![json!("apiVersion"), json!("kind")];
    if header.named {
        required.push(json!("name"));
    }
    if let Some(Value::Array(own)) = def.remove("required") {
        for field in own {
            if !required.contains(&field) {
                required.push(field);
            }
        }
    }
    def.insert("required".to_owned(), Value::Array(required));
    def.insert("type".to_owned(), json!("object"));
}

/// Implements `JsonSchema` for a value type with a hand-written schema,
/// inlined where it is used.
macro_rules! inline_schema {
    ($($ty:ty => $name:literal, $schema:tt;)+) => {
        $(
            impl JsonSchema for $ty {
                fn inline_schema() -> bool {
                    true
                }

                fn schema_name() -> Cow<'static, str> {
                    Cow::Borrowed($name)
                }

                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!($schema)
                }
            }
        )+
    };
}

inline_schema! {
    Duration => "Duration", {
        "description": "A Go duration such as `30s`, `1h30m` or `500ms`.",
        "anyOf": [
            {
                "type": "string",
                "pattern": "^[-+]?(0|([0-9]*(\\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+)$"
            },
            { "const": 0 }
        ]
    };
    Base64Bytes => "Base64Bytes", {
        "description": "Bytes as standard base64 text.",
        "type": "string",
        "contentEncoding": "base64"
    };
    Url => "Url", {
        "description": "A URL; empty when unset.",
        "type": "string"
    };
    Endpoint => "Endpoint", {
        "description": "A URL such as `https://cluster.example.com:6443`.",
        "type": "string"
    };
    Addr => "Addr", {
        "description": "An IPv4 or IPv6 address; empty when unset.",
        "type": "string"
    };
    Prefix => "Prefix", {
        "description": "An address with prefix length such as `10.0.0.0/8`; empty when unset.",
        "type": "string"
    };
    AddrPort => "AddrPort", {
        "description": "An address and port such as `10.0.0.1:53` or `[::1]:53`; empty when unset.",
        "type": "string"
    };
    HardwareAddr => "HardwareAddr", {
        "description": "A link-layer address as colon-separated hex bytes (`aa:bb:cc:dd:ee:ff`).",
        "type": "string"
    };
    ArgValue => "ArgValue", {
        "description": "A flag value: one string, or a list to repeat the flag.",
        "type": ["string", "array", "null"],
        "items": { "type": "string" }
    };
    Unstructured => "Unstructured", {
        "description": "A free-form mapping kept verbatim.",
        "type": "object"
    };
    DiskSize => "DiskSize", {
        "description": "A size in bytes, or human-readable text such as `100 MB` or `4GiB`.",
        "anyOf": [
            { "type": "integer", "minimum": 0 },
            { "type": "string" }
        ]
    };
    FileMode => "FileMode", {
        "description": "Unix permission bits, usually written in octal (`0o644`).",
        "type": "integer",
        "minimum": 0
    };
    EtcFileMode => "EtcFileMode", {
        "description": "Unix permission bits, usually written in octal (`0o644`).",
        "type": "integer",
        "minimum": 0,
        "maximum": 4095
    };
    InstallDiskSizeMatcher => "InstallDiskSizeMatcher", {
        "description": "A size condition: an optional operator (`>=`, `<=`, `==`, `>`, `<`) and a size such as `1TB`.",
        "type": "string"
    };
    PortRange => "PortRange", {
        "description": "One port, or an inclusive range written `low-high`.",
        "anyOf": [
            { "type": "integer", "minimum": 0, "maximum": 65535 },
            { "type": "string", "pattern": "^[0-9]+-[0-9]+$" }
        ]
    };
    PemEncodedCertificateAndKey => "PemEncodedCertificateAndKey", {
        "description": "A certificate and its private key, each base64 of the PEM text.",
        "type": "object",
        "properties": {
            "crt": { "description": "Base64 of the PEM certificate.", "type": "string" },
            "key": { "description": "Base64 of the PEM private key.", "type": "string" }
        },
        "additionalProperties": false
    };
    PemEncodedCertificate => "PemEncodedCertificate", {
        "description": "A certificate, base64 of the PEM text.",
        "type": "object",
        "properties": {
            "crt": { "description": "Base64 of the PEM certificate.", "type": "string" }
        },
        "additionalProperties": false
    };
    PemEncodedKey => "PemEncodedKey", {
        "description": "A private key, base64 of the PEM text.",
        "type": "object",
        "properties": {
            "key": { "description": "Base64 of the PEM private key.", "type": "string" }
        },
        "additionalProperties": false
    };
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn every_loader_kind_has_a_definition() {
        let schema = generate();
        for kind in crate::KINDS {
            assert!(
                definition_for_kind(&schema, kind).is_some(),
                "kind {kind} missing from the schema"
            );
        }
        assert_eq!(
            schema["oneOf"].as_array().unwrap().len(),
            crate::KINDS.len() + 1
        );
    }
}
