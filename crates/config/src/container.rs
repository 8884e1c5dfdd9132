//! The config container: an ordered list of documents, validated and encoded
//! like upstream `pkg/machinery/config/container`.
//!
//! Every kind is one variant of [`Document`]; there is no registry. The
//! legacy v1alpha1 document is held apart and always encoded first, then the
//! other documents in order, separated by `---` lines.

use std::collections::{HashMap, HashSet};

use serde::de::Deserialize;
use serde::Serialize;

use crate::error::Error;
use crate::loader::de::{DeError, NodeDe};
use crate::loader::node::Node;
use crate::types::{self, block, cluster, cri, extensions, hardware, k8s, network, runtime};
use crate::types::{security, siderolink, storage, WithMeta};
use crate::v1alpha1;

/// Declares [`Document`] over every kind, with its lookup and dispatch code.
macro_rules! documents {
    ($($variant:ident => $ty:ty,)+) => {
        /// One config document: the legacy v1alpha1 document or one of the
        /// multi-document kinds, each variant named after its `kind`.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Document {
            /// The legacy `version: v1alpha1` machine config.
            V1Alpha1(Box<v1alpha1::Config>),
            $(
                #[doc = concat!("A `", stringify!($variant), "` document.")]
                $variant($ty),
            )+
        }

        $(
            impl From<$ty> for Document {
                fn from(doc: $ty) -> Self {
                    Document::$variant(doc)
                }
            }
        )+

        /// Every `kind` the loader accepts besides the legacy document.
        pub const KINDS: &[&str] = &[$(<$ty as types::Document>::KIND,)+];

        impl Document {
            /// The document's `kind` (`v1alpha1` for the legacy document, as upstream reports it).
            pub fn kind(&self) -> &'static str {
                match self {
                    Document::V1Alpha1(_) => "v1alpha1",
                    $(Document::$variant(_) => <$ty as types::Document>::KIND,)+
                }
            }

            /// The document's name for named kinds.
            pub fn name(&self) -> Option<&str> {
                match self {
                    Document::V1Alpha1(_) => None,
                    $(Document::$variant(d) => types::Document::name(d),)+
                }
            }

            /// Encodes the document alone, as go-yaml's `yaml.Marshal` does.
            pub fn to_yaml(&self) -> Result<String, Error> {
                let encoded = match self {
                    Document::V1Alpha1(d) => talgen_yaml::to_string(&**d),
                    $(Document::$variant(d) => talgen_yaml::to_string(&WithMeta(d)),)+
                };
                encoded.map_err(|e| Error::Encode {
                    kind: self.kind().to_owned(),
                    message: e.to_string(),
                })
            }

            /// The document as the YAML tree [`Document::to_yaml`] writes.
            pub fn to_node(&self) -> Result<talgen_yaml::Node, Error> {
                let node = match self {
                    Document::V1Alpha1(d) => talgen_yaml::to_node(&**d),
                    $(Document::$variant(d) => talgen_yaml::to_node(&WithMeta(d)),)+
                };
                node.map_err(|e| Error::Encode {
                    kind: self.kind().to_owned(),
                    message: e.to_string(),
                })
            }

            /// Decodes a multi-document kind from its mapping node, or
            /// `None` when `kind` is unknown.
            pub(crate) fn decode(kind: &str, node: &Node) -> Option<Result<Document, DeError>> {
                const META: &[&str] = &["apiVersion", "kind"];
                $(
                    if kind == <$ty as types::Document>::KIND {
                        return Some(<$ty>::deserialize(NodeDe::document(node, META)).map(Document::$variant));
                    }
                )+
                None
            }
        }
    };
}

documents! {
    ExistingVolumeConfig => block::ExistingVolumeConfig,
    ExternalVolumeConfig => block::ExternalVolumeConfig,
    FilesystemScrubConfig => block::FilesystemScrubConfig,
    FilesystemTrimConfig => block::FilesystemTrimConfig,
    RawVolumeConfig => block::RawVolumeConfig,
    SwapVolumeConfig => block::SwapVolumeConfig,
    UserVolumeConfig => block::UserVolumeConfig,
    VolumeConfig => block::VolumeConfig,
    ZswapConfig => block::ZswapConfig,
    DiscoveryIdentityConfig => cluster::DiscoveryIdentityConfig,
    DiscoveryServiceConfig => cluster::DiscoveryServiceConfig,
    ContainerConfig => types::container::ContainerConfig,
    CRIBaseRuntimeSpecConfig => cri::CRIBaseRuntimeSpecConfig,
    CRICustomizationConfig => cri::CRICustomizationConfig,
    ImageCacheConfig => cri::ImageCacheConfig,
    RegistryAuthConfig => cri::RegistryAuthConfig,
    RegistryMirrorConfig => cri::RegistryMirrorConfig,
    RegistryTLSConfig => cri::RegistryTLSConfig,
    ExtensionServiceConfig => extensions::ExtensionServiceConfig,
    PCIDriverRebindConfig => hardware::PCIDriverRebindConfig,
    KubeAdmissionControlConfig => k8s::KubeAdmissionControlConfig,
    KubeAggregatorCAConfig => k8s::KubeAggregatorCAConfig,
    KubeAPIServerConfig => k8s::KubeAPIServerConfig,
    KubeAPIServerCAConfig => k8s::KubeAPIServerCAConfig,
    KubeAuditPolicyConfig => k8s::KubeAuditPolicyConfig,
    KubeAuthenticationConfig => k8s::KubeAuthenticationConfig,
    KubeAuthorizerConfig => k8s::KubeAuthorizerConfig,
    KubeClusterConfig => k8s::KubeClusterConfig,
    KubeControllerManagerConfig => k8s::KubeControllerManagerConfig,
    KubeCoreDNSConfig => k8s::KubeCoreDNSConfig,
    KubeCredentialProviderConfig => k8s::KubeCredentialProviderConfig,
    KubeEtcdEncryptionConfig => k8s::KubeEtcdEncryptionConfig,
    KubeExternalManifestConfig => k8s::KubeExternalManifestConfig,
    KubeFlannelCNIConfig => k8s::KubeFlannelCNIConfig,
    KubeInlineManifestConfig => k8s::KubeInlineManifestConfig,
    KubeletConfig => k8s::KubeletConfig,
    KubePrismConfig => k8s::KubePrismConfig,
    KubeNetworkConfig => k8s::KubeNetworkConfig,
    KubeNodeConfig => k8s::KubeNodeConfig,
    KubeProxyConfig => k8s::KubeProxyConfig,
    KubeSchedulerConfig => k8s::KubeSchedulerConfig,
    KubeServiceAccountConfig => k8s::KubeServiceAccountConfig,
    KubeStaticPodConfig => k8s::KubeStaticPodConfig,
    KubeTalosAPIAccessConfig => k8s::KubeTalosAPIAccessConfig,
    BGPInstanceConfig => network::BGPInstanceConfig,
    BlackholeRouteConfig => network::BlackholeRouteConfig,
    BondConfig => network::BondConfig,
    BridgeConfig => network::BridgeConfig,
    NetworkDefaultActionConfig => network::NetworkDefaultActionConfig,
    DHCPv4Config => network::DHCPv4Config,
    DHCPv6Config => network::DHCPv6Config,
    DummyLinkConfig => network::DummyLinkConfig,
    EthernetConfig => network::EthernetConfig,
    HCloudVIPConfig => network::HCloudVIPConfig,
    HostnameConfig => network::HostnameConfig,
    HTTPProbeConfig => network::HTTPProbeConfig,
    KubeSpanConfig => network::KubeSpanConfig,
    KubeSpanEndpointsConfig => network::KubeSpanEndpointsConfig,
    Layer2VIPConfig => network::Layer2VIPConfig,
    LinkConfig => network::LinkConfig,
    LinkAliasConfig => network::LinkAliasConfig,
    ResolverConfig => network::ResolverConfig,
    RoutingRuleConfig => network::RoutingRuleConfig,
    NetworkRuleConfig => network::NetworkRuleConfig,
    StaticHostConfig => network::StaticHostConfig,
    TCPProbeConfig => network::TCPProbeConfig,
    TimeSyncConfig => network::TimeSyncConfig,
    VethConfig => network::VethConfig,
    VLANConfig => network::VLANConfig,
    VRFConfig => network::VRFConfig,
    WireguardConfig => network::WireguardConfig,
    EnvironmentConfig => runtime::EnvironmentConfig,
    EtcFileConfig => runtime::EtcFileConfig,
    EventSinkConfig => runtime::EventSinkConfig,
    KernelModuleConfig => runtime::KernelModuleConfig,
    KmsgLogConfig => runtime::KmsgLogConfig,
    OOMConfig => runtime::OOMConfig,
    SecurityProfileConfig => runtime::SecurityProfileConfig,
    SysctlConfig => runtime::SysctlConfig,
    SysfsConfig => runtime::SysfsConfig,
    UdevRulesConfig => runtime::UdevRulesConfig,
    UnattendedInstallConfig => runtime::UnattendedInstallConfig,
    WatchdogTimerConfig => runtime::WatchdogTimerConfig,
    ImageVerificationConfig => security::ImageVerificationConfig,
    TrustedRootsConfig => security::TrustedRootsConfig,
    SideroLinkConfig => siderolink::SideroLinkConfig,
    LVMLogicalVolumeConfig => storage::LVMLogicalVolumeConfig,
    LVMVolumeGroupConfig => storage::LVMVolumeGroupConfig,
    RAIDArrayConfig => storage::RAIDArrayConfig,
}

impl From<v1alpha1::Config> for Document {
    fn from(cfg: v1alpha1::Config) -> Self {
        Document::V1Alpha1(Box::new(cfg))
    }
}

/// Kinds that configure a network link by name: two of them may not share a name.
const LINK_KINDS: &[&str] = &[
    "BondConfig",
    "BridgeConfig",
    "DummyLinkConfig",
    "LinkConfig",
    "VethConfig",
    "VLANConfig",
    "VRFConfig",
    "WireguardConfig",
];

impl Document {
    /// `Kind/name` as upstream names documents in container errors.
    fn container_id(&self) -> String {
        format!("{}/{}", self.kind(), self.name().unwrap_or(""))
    }

    /// Kinds this document may not coexist with under the same name.
    fn conflicts_with(&self) -> Vec<&'static str> {
        match self {
            Document::UserVolumeConfig(_) => vec!["ExistingVolumeConfig"],
            d if LINK_KINDS.contains(&d.kind()) => LINK_KINDS
                .iter()
                .copied()
                .filter(|k| *k != d.kind())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Network links this document configures (its own, plus a veth peer).
    fn claimed_links(&self) -> Vec<&str> {
        match self {
            Document::VethConfig(v) => vec![v.name.as_str(), v.peer.name.as_str()],
            d if LINK_KINDS.contains(&d.kind()) => d.name().into_iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// A validated set of config documents (upstream `container.Container`).
///
/// The legacy v1alpha1 document, if any, is kept apart; the others keep
/// their order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Container {
    v1alpha1: Option<Box<v1alpha1::Config>>,
    documents: Vec<Document>,
}

impl Container {
    /// Builds a container, rejecting what upstream `container.New` rejects:
    /// a second v1alpha1 document, two documents with the same kind and
    /// name, conflicting kinds under one name, and two documents claiming
    /// the same network link.
    pub fn new(documents: impl IntoIterator<Item = Document>) -> Result<Container, Error> {
        let documents = documents.into_iter();
        let mut v1alpha1 = None;
        let mut docs = Vec::with_capacity(documents.size_hint().0);
        for doc in documents {
            match doc {
                Document::V1Alpha1(cfg) => {
                    if v1alpha1.is_some() {
                        return Err(Error::DuplicateV1Alpha1);
                    }
                    v1alpha1 = Some(cfg);
                }
                doc => docs.push(doc),
            }
        }
        check_documents(&docs)?;
        Ok(Container {
            v1alpha1,
            documents: docs,
        })
    }

    /// The legacy v1alpha1 document, if present.
    pub fn v1alpha1(&self) -> Option<&v1alpha1::Config> {
        self.v1alpha1.as_deref()
    }

    /// Mutable access to the legacy v1alpha1 document, if present.
    pub fn v1alpha1_mut(&mut self) -> Option<&mut v1alpha1::Config> {
        self.v1alpha1.as_deref_mut()
    }

    /// The multi-document kinds, in order (without the v1alpha1 document).
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// Every document in encoding order: v1alpha1 first, then the others.
    pub fn all_documents(&self) -> Vec<Document> {
        let mut out = Vec::with_capacity(self.documents.len() + 1);
        if let Some(cfg) = &self.v1alpha1 {
            out.push(Document::V1Alpha1(cfg.clone()));
        }
        out.extend(self.documents.iter().cloned());
        out
    }

    /// [`Container::all_documents`], taking the container: the documents
    /// are moved out, not copied.
    pub fn into_documents(self) -> Vec<Document> {
        let mut out = Vec::with_capacity(self.documents.len() + 1);
        out.extend(self.v1alpha1.map(Document::V1Alpha1));
        out.extend(self.documents);
        out
    }

    /// Whether a multi-document of `kind` is present.
    pub fn has(&self, kind: &str) -> bool {
        self.documents.iter().any(|d| d.kind() == kind)
    }

    /// The first document of type `T`, if any.
    pub fn find<T: types::Document>(&self) -> Option<&Document> {
        self.documents.iter().find(|d| d.kind() == T::KIND)
    }

    /// Encodes the container as Talos's `EncodeString` does with comments
    /// disabled: each document as `yaml.Marshal` writes it, v1alpha1 first,
    /// `---` between documents.
    pub fn encode(&self) -> Result<String, Error> {
        // One buffer for every document (no per-document text to copy);
        // sized for a typical generated config so it rarely grows.
        let mut out = String::with_capacity(16 * 1024);
        if let Some(cfg) = &self.v1alpha1 {
            let node = talgen_yaml::to_node(&**cfg).map_err(|e| Error::Encode {
                kind: "v1alpha1".to_owned(),
                message: e.to_string(),
            })?;
            talgen_yaml::emit_into(&node, &mut out);
        }
        for doc in &self.documents {
            if !out.is_empty() {
                out.push_str("---\n");
            }
            talgen_yaml::emit_into(&doc.to_node()?, &mut out);
        }
        Ok(out)
    }
}

impl Container {
    /// The documents as the YAML trees [`Container::encode`] writes, in the
    /// same order, for callers that work on trees (the patcher) and would
    /// otherwise parse the encoded text again.
    pub fn to_nodes(&self) -> Result<Vec<talgen_yaml::Node>, Error> {
        let mut out = Vec::with_capacity(self.documents.len() + 1);
        if let Some(cfg) = &self.v1alpha1 {
            out.push(talgen_yaml::to_node(&**cfg).map_err(|e| Error::Encode {
                kind: "v1alpha1".to_owned(),
                message: e.to_string(),
            })?);
        }
        for doc in &self.documents {
            out.push(doc.to_node()?);
        }
        Ok(out)
    }
}

/// Encodes a multi-document kind alone, `apiVersion` and `kind` first.
pub fn encode_document<D: types::Document + Serialize>(doc: &D) -> Result<String, Error> {
    talgen_yaml::to_string(&WithMeta(doc)).map_err(|e| Error::Encode {
        kind: D::KIND.to_owned(),
        message: e.to_string(),
    })
}

/// Upstream `container.New`'s checks over the non-v1alpha1 documents, in
/// order: no duplicate kind/name, no two kinds that exclude each other under
/// one name, no network link claimed twice. Keys are borrowed; the
/// `Kind/name` text is only built for an error.
fn check_documents(docs: &[Document]) -> Result<(), Error> {
    if documents_are_consistent(docs) {
        return Ok(());
    }
    first_inconsistency(docs)
}

/// Whether none of [`check_documents`]'s rules is broken, found by sorting
/// (no hashing, no allocation per document): the common case, where the
/// ordered walk of [`first_inconsistency`] that names the culprit is not
/// needed.
fn documents_are_consistent(docs: &[Document]) -> bool {
    let mut keys: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d.kind(), d.name().unwrap_or("")))
        .collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w.first() == w.last()) {
        return false;
    }
    // A kind that excludes another under the same name conflicts whichever
    // of the two comes first.
    for doc in docs {
        let name = doc.name().unwrap_or("");
        if doc
            .conflicts_with()
            .iter()
            .any(|kind| keys.binary_search(&(kind, name)).is_ok())
        {
            return false;
        }
    }
    let mut links: Vec<&str> = docs.iter().flat_map(|d| d.claimed_links()).collect();
    links.sort_unstable();
    !links.windows(2).any(|w| w.first() == w.last())
}

/// The first rule [`check_documents`] finds broken, walking the documents
/// in order as upstream does.
fn first_inconsistency(docs: &[Document]) -> Result<(), Error> {
    fn id(kind: &str, name: &str) -> String {
        format!("{kind}/{name}")
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::with_capacity(docs.len());
    // Key: a kind/name some earlier document excludes; value: that document.
    let mut excluded: HashMap<(&str, &str), &Document> = HashMap::new();
    let mut links: HashMap<&str, &Document> = HashMap::new();
    for doc in docs {
        let name = doc.name().unwrap_or("");
        let key = (doc.kind(), name);
        if !seen.insert(key) {
            return Err(Error::DuplicateInContainer {
                id: doc.container_id(),
            });
        }
        if let Some(first) = excluded.get(&key) {
            return Err(Error::ConflictingDocuments {
                first: first.container_id(),
                second: doc.container_id(),
            });
        }
        for kind in doc.conflicts_with() {
            if seen.contains(&(kind, name)) {
                return Err(Error::ConflictingDocuments {
                    first: id(kind, name),
                    second: doc.container_id(),
                });
            }
            excluded.insert((kind, name), doc);
        }
        for link in doc.claimed_links() {
            if let Some(owner) = links.insert(link, doc) {
                return Err(Error::ConflictingLinks {
                    first: owner.container_id(),
                    second: doc.container_id(),
                    link: link.to_owned(),
                });
            }
        }
    }
    Ok(())
}
