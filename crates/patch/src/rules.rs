//! Where Talos's struct-based merge departs from the plain tree merge.
//!
//! Talos merges typed Go structs (`pkg/machinery/config/merge/merge.go`):
//! maps merge key by key, slices append, scalars are overwritten unless the
//! patch holds the zero value. Some fields change that through a
//! `merge:"replace"` struct tag, a custom `Merge` method on their type, or by
//! being a pointer (so that a zero value still overwrites). The patcher merges
//! document trees, so it needs to know those fields by path: this table lists
//! them, each with the upstream type it stands for.
//!
//! Paths are dotted YAML keys from the document root; `*` matches any one
//! segment (a sequence item or a map key) and a leading `**.` matches any
//! prefix.

/// How the value at one path merges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// `merge:"replace"`: the patch's value replaces the config's whole,
    /// unless the patch leaves it unset.
    Replace,
    /// A list merged item by item: an item whose key field equals an
    /// existing item's is merged into it, others are appended.
    KeyedMerge(&'static str),
    /// `block.Size`: a struct of two pointers (bytes, percentage) merged
    /// field by field; the encoder prefers bytes, so a percentage patched
    /// over a byte size is lost.
    Size,
    /// Like [`Rule::KeyedMerge`] but a matching item is replaced, not merged.
    KeyedReplace(&'static str),
    /// `v1alpha1.NetworkDeviceList`: items match by `interface`, else by an
    /// equal `deviceSelector`, else are appended.
    DeviceList,
    /// `meta.Args`: each argument of the patch replaces the config's.
    Args,
    /// A pointer to a scalar: a zero value in the patch still overwrites.
    PointerScalar,
    /// `block.ByteSize` as a value field: its custom merge always copies the
    /// patch's value, so an unset patch field clears the config's.
    AlwaysReplace,
    /// `meta.Unstructured` (`map[string]any`): values of different types
    /// cannot be merged.
    Unstructured,
    /// A `*url.URL` (`v1alpha1.Endpoint`, `meta.URL`): merged component by
    /// component, like Go merges the struct.
    Url,
    /// A Go map with arbitrary keys (not a struct): deleting a missing key
    /// fails.
    Map,
}

/// `(document kind, path pattern, rule)`; `*` as kind matches every kind.
const RULES: &[(&str, &str, Rule)] = &[
    // v1alpha1.ClusterNetworkConfig.PodSubnet / ServiceSubnet: `merge:"replace"`.
    ("v1alpha1", "cluster.network.podSubnets", Rule::Replace),
    ("v1alpha1", "cluster.network.serviceSubnets", Rule::Replace),
    // v1alpha1.APIServerConfig.AuditPolicyConfig: `merge:"replace"` on meta.Unstructured.
    ("v1alpha1", "cluster.apiServer.auditPolicy", Rule::Replace),
    // v1alpha1.NetworkDeviceList.Merge.
    ("v1alpha1", "machine.network.interfaces", Rule::DeviceList),
    // v1alpha1.VlanList.Merge: by vlanId.
    (
        "v1alpha1",
        "machine.network.interfaces.*.vlans",
        Rule::KeyedMerge("vlanId"),
    ),
    // v1alpha1.AdmissionPluginConfigList.Merge: by name.
    (
        "v1alpha1",
        "cluster.apiServer.admissionControl",
        Rule::KeyedMerge("name"),
    ),
    // v1alpha1.NetworkKubeSpan.KubeSpanMTU is *uint32.
    (
        "v1alpha1",
        "machine.network.kubespan.mtu",
        Rule::PointerScalar,
    ),
    // v1alpha1.Endpoint wraps *url.URL.
    ("v1alpha1", "cluster.controlPlane.endpoint", Rule::Url),
    // meta.URL fields of multi-document kinds.
    ("DiscoveryServiceConfig", "endpoint", Rule::Url),
    ("KubeClusterConfig", "endpoint", Rule::Url),
    ("KubeExternalManifestConfig", "url", Rule::Url),
    ("KubeServiceAccountConfig", "issuer.issuerURL", Rule::Url),
    ("HTTPProbeConfig", "url", Rule::Url),
    ("KmsgLogConfig", "url", Rule::Url),
    ("SideroLinkConfig", "apiUrl", Rule::Url),
    // meta.Unstructured fields of v1alpha1.
    ("v1alpha1", "machine.pods.*", Rule::Unstructured),
    (
        "v1alpha1",
        "machine.baseRuntimeSpecOverrides",
        Rule::Unstructured,
    ),
    (
        "v1alpha1",
        "machine.seccompProfiles.*.value",
        Rule::Unstructured,
    ),
    (
        "v1alpha1",
        "machine.kubelet.extraConfig",
        Rule::Unstructured,
    ),
    (
        "v1alpha1",
        "machine.kubelet.credentialProviderConfig",
        Rule::Unstructured,
    ),
    (
        "v1alpha1",
        "cluster.apiServer.admissionControl.*.configuration",
        Rule::Unstructured,
    ),
    (
        "v1alpha1",
        "cluster.apiServer.authorizationConfig.*.webhook",
        Rule::Unstructured,
    ),
    ("v1alpha1", "cluster.scheduler.config", Rule::Unstructured),
    (
        "v1alpha1",
        "cluster.*.resources.requests",
        Rule::Unstructured,
    ),
    ("v1alpha1", "cluster.*.resources.limits", Rule::Unstructured),
    // Plain Go maps of v1alpha1 (map[string]string and friends).
    ("v1alpha1", "machine.env", Rule::Map),
    ("v1alpha1", "machine.sysctls", Rule::Map),
    ("v1alpha1", "machine.sysfs", Rule::Map),
    ("v1alpha1", "machine.nodeLabels", Rule::Map),
    ("v1alpha1", "machine.nodeAnnotations", Rule::Map),
    ("v1alpha1", "machine.nodeTaints", Rule::Map),
    ("v1alpha1", "machine.registries.mirrors", Rule::Map),
    ("v1alpha1", "machine.registries.config", Rule::Map),
    ("v1alpha1", "cluster.*.env", Rule::Map),
    ("v1alpha1", "cluster.extraManifestHeaders", Rule::Map),
    // meta.Args.Merge copies each argument (every `extraArgs`, any document).
    ("*", "**.extraArgs", Rule::Args),
    // extensions.ConfigFileList.Merge: by mountPath.
    (
        "ExtensionServiceConfig",
        "configFiles",
        Rule::KeyedMerge("mountPath"),
    ),
    // security.ImageVerificationRules.Merge: same imagePattern replaces.
    (
        "ImageVerificationConfig",
        "rules",
        Rule::KeyedReplace("image"),
    ),
    // network.BGP* lists tagged `merge:"replace"`.
    ("BGPInstanceConfig", "**.advertise", Rule::Replace),
    ("BGPInstanceConfig", "**.importRoutes", Rule::Replace),
    ("BGPInstanceConfig", "**.neighbors", Rule::Replace),
    // network.RuleConfigV1Alpha1.Ingress / RulePortSelector.Ports: `merge:"replace"`.
    ("NetworkRuleConfig", "ingress", Rule::Replace),
    ("NetworkRuleConfig", "portSelector.ports", Rule::Replace),
    // k8s documents: pod and service subnets, Unstructured payloads.
    ("KubeNetworkConfig", "podSubnets", Rule::Replace),
    ("KubeNetworkConfig", "serviceSubnets", Rule::Replace),
    ("KubeAuditPolicyConfig", "configuration", Rule::Replace),
    ("KubeAuthenticationConfig", "configuration", Rule::Replace),
    (
        "KubeCredentialProviderConfig",
        "configuration",
        Rule::Replace,
    ),
    ("KubeStaticPodConfig", "pod", Rule::Replace),
    ("CRIBaseRuntimeSpecConfig", "overrides", Rule::Replace),
    // Pointer-to-scalar fields outside v1alpha1 (*uint32, *int, *string...).
    ("KubeSpanConfig", "mtu", Rule::PointerScalar),
    // network.AddressConfig is shared by every link kind.
    ("*", "addresses.*.routePriority", Rule::PointerScalar),
    ("ZswapConfig", "maxPoolPercent", Rule::PointerScalar),
    ("LVMLogicalVolumeConfig", "mirrors", Rule::PointerScalar),
    ("LVMLogicalVolumeConfig", "stripes", Rule::PointerScalar),
    ("*", "**.runAs.uid", Rule::PointerScalar),
    ("*", "**.runAs.gid", Rule::PointerScalar),
    ("*", "apiPort", Rule::PointerScalar),
    ("BondConfig", "miimon", Rule::PointerScalar),
    ("BondConfig", "updelay", Rule::PointerScalar),
    ("BondConfig", "downdelay", Rule::PointerScalar),
    ("BondConfig", "arpInterval", Rule::PointerScalar),
    ("BondConfig", "adActorSysPrio", Rule::PointerScalar),
    ("BondConfig", "adUserPortKey", Rule::PointerScalar),
    ("BondConfig", "primary", Rule::PointerScalar),
    ("BondConfig", "resendIGMP", Rule::PointerScalar),
    ("BondConfig", "minLinks", Rule::PointerScalar),
    ("BondConfig", "lpInterval", Rule::PointerScalar),
    ("BondConfig", "packetsPerSlave", Rule::PointerScalar),
    ("BondConfig", "numPeerNotif", Rule::PointerScalar),
    ("BondConfig", "tlbLogicalLb", Rule::PointerScalar),
    ("BondConfig", "allSlavesActive", Rule::PointerScalar),
    ("BondConfig", "peerNotifDelay", Rule::PointerScalar),
    ("BondConfig", "missedMax", Rule::PointerScalar),
    ("EthernetConfig", "rings.*", Rule::PointerScalar),
    ("EthernetConfig", "channels.*", Rule::PointerScalar),
    // block.ByteSize value fields (custom Merge copies unconditionally).
    (
        "UserVolumeConfig",
        "filesystem.minAllocationGroupSize",
        Rule::AlwaysReplace,
    ),
    (
        "UserVolumeConfig",
        "provisioning.minSize",
        Rule::AlwaysReplace,
    ),
    ("VolumeConfig", "provisioning.minSize", Rule::AlwaysReplace),
    (
        "RawVolumeConfig",
        "provisioning.minSize",
        Rule::AlwaysReplace,
    ),
    (
        "SwapVolumeConfig",
        "provisioning.minSize",
        Rule::AlwaysReplace,
    ),
    (
        "LVMLogicalVolumeConfig",
        "provisioning.minSize",
        Rule::AlwaysReplace,
    ),
    // meta.Unstructured fields of the k8s documents (no `merge:"replace"`).
    (
        "KubeAdmissionControlConfig",
        "configuration",
        Rule::Unstructured,
    ),
    ("KubeAuthorizerConfig", "webhook", Rule::Unstructured),
    ("KubeEtcdEncryptionConfig", "config", Rule::Unstructured),
    (
        "KubeFlannelCNIConfig",
        "backendExtraConfig",
        Rule::Unstructured,
    ),
    ("KubeletConfig", "config", Rule::Unstructured),
    ("KubeProxyConfig", "config", Rule::Unstructured),
    ("KubeSchedulerConfig", "config", Rule::Unstructured),
    (
        "KubeAPIServerConfig",
        "resources.requests",
        Rule::Unstructured,
    ),
    (
        "KubeAPIServerConfig",
        "resources.limits",
        Rule::Unstructured,
    ),
    (
        "KubeControllerManagerConfig",
        "resources.requests",
        Rule::Unstructured,
    ),
    (
        "KubeControllerManagerConfig",
        "resources.limits",
        Rule::Unstructured,
    ),
    (
        "KubeFlannelCNIConfig",
        "resources.requests",
        Rule::Unstructured,
    ),
    (
        "KubeFlannelCNIConfig",
        "resources.limits",
        Rule::Unstructured,
    ),
    ("KubeProxyConfig", "resources.requests", Rule::Unstructured),
    ("KubeProxyConfig", "resources.limits", Rule::Unstructured),
    (
        "KubeSchedulerConfig",
        "resources.requests",
        Rule::Unstructured,
    ),
    (
        "KubeSchedulerConfig",
        "resources.limits",
        Rule::Unstructured,
    ),
    // Plain Go maps of multi-document kinds.
    ("KubeAPIServerConfig", "env", Rule::Map),
    ("KubeControllerManagerConfig", "env", Rule::Map),
    ("KubeSchedulerConfig", "env", Rule::Map),
    ("KubeExternalManifestConfig", "headers", Rule::Map),
    ("KubeNodeConfig", "labels", Rule::Map),
    ("KubeNodeConfig", "annotations", Rule::Map),
    ("KubeNodeConfig", "taints", Rule::Map),
    ("EthernetConfig", "features", Rule::Map),
    ("SysctlConfig", "params", Rule::Map),
    ("SysfsConfig", "params", Rule::Map),
    // block.Size fields (ProvisioningSpec.MaxSize).
    ("VolumeConfig", "provisioning.maxSize", Rule::Size),
    ("UserVolumeConfig", "provisioning.maxSize", Rule::Size),
    ("RawVolumeConfig", "provisioning.maxSize", Rule::Size),
    ("SwapVolumeConfig", "provisioning.maxSize", Rule::Size),
    ("LVMLogicalVolumeConfig", "provisioning.maxSize", Rule::Size),
];

/// The rule for `path` in a document of `kind`, if any.
pub(crate) fn rule_for(kind: &str, path: &[String]) -> Option<Rule> {
    // Only patterns ending in the path's last segment, or in `*`, can match;
    // the first matching rule in table order wins.
    let last = path.last()?;
    let first = |positions: &[usize]| {
        positions.iter().copied().find(|&i| {
            RULES
                .get(i)
                .is_some_and(|(k, pattern, _)| (*k == "*" || *k == kind) && matches(pattern, path))
        })
    };
    let index = &*INDEX;
    let named = index.by_last.get(last.as_str()).and_then(|p| first(p));
    let wild = first(&index.wild_last);
    let at = match (named, wild) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    RULES.get(at).map(|(_, _, rule)| *rule)
}

/// Positions in [`RULES`] by the last segment of their pattern (ascending),
/// and those whose pattern ends in `*`: a merge looks a rule up for every
/// value it visits, and a scan of the whole table each time dominated it.
struct Index {
    by_last: std::collections::HashMap<&'static str, Vec<usize>>,
    wild_last: Vec<usize>,
}

static INDEX: std::sync::LazyLock<Index> = std::sync::LazyLock::new(|| {
    let mut index = Index {
        by_last: std::collections::HashMap::new(),
        wild_last: Vec::new(),
    };
    for (i, (_, pattern, _)) in RULES.iter().enumerate() {
        match pattern.rsplit('.').next() {
            Some("*") => index.wild_last.push(i),
            Some(last) => index.by_last.entry(last).or_default().push(i),
            None => {}
        }
    }
    index
});

/// Whether some rule of `kind` is [`Rule::AlwaysReplace`] directly under
/// `path`, returning the field names.
pub(crate) fn always_replace_children(kind: &str, path: &[String]) -> Vec<&'static str> {
    RULES
        .iter()
        .filter(|(k, _, rule)| *rule == Rule::AlwaysReplace && (*k == "*" || *k == kind))
        .filter_map(|(_, pattern, _)| {
            let (parent, field) = pattern.rsplit_once('.')?;
            matches(parent, path).then_some(field)
        })
        .collect()
}

/// Whether the value at `path` lies inside a `meta.Unstructured` field.
pub(crate) fn inside_unstructured(kind: &str, path: &[String]) -> bool {
    (1..=path.len()).any(|n| {
        path.get(..n)
            .is_some_and(|prefix| rule_for(kind, prefix) == Some(Rule::Unstructured))
    })
}

/// Whether the dotted `pattern` (`*` for any one segment, a leading `**.`
/// for any prefix) names `path`; compared segment by segment without
/// allocating, as it runs for every value a merge visits.
fn matches(pattern: &str, path: &[String]) -> bool {
    if let Some(suffix) = pattern.strip_prefix("**.") {
        let n = suffix.split('.').count();
        return path
            .len()
            .checked_sub(n)
            .and_then(|start| path.get(start..))
            .is_some_and(|tail| segments_match(suffix, tail));
    }
    segments_match(pattern, path)
}

/// Whether every segment of `pattern` matches `path`, one for one.
fn segments_match(pattern: &str, path: &[String]) -> bool {
    let mut want = pattern.split('.');
    let mut have = path.iter();
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(p)) if w == "*" || w == p => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        s.split('.').map(str::to_string).collect()
    }

    /// The whole-table scan the index stands for.
    fn rule_for_linear(kind: &str, path: &[String]) -> Option<Rule> {
        RULES
            .iter()
            .find(|(k, pattern, _)| (*k == "*" || *k == kind) && matches(pattern, path))
            .map(|(_, _, rule)| *rule)
    }

    /// Every segment any pattern uses, a few that none does, and every
    /// kind of the table and one that is not there.
    fn segments_and_kinds() -> (Vec<String>, Vec<String>) {
        let mut segments: Vec<String> = RULES
            .iter()
            .flat_map(|(_, pattern, _)| pattern.split('.'))
            .filter(|s| *s != "**")
            .map(str::to_string)
            .collect();
        segments.extend(["x", "0", "name"].map(str::to_string));
        segments.sort();
        segments.dedup();
        let mut kinds: Vec<String> = RULES.iter().map(|(k, _, _)| k.to_string()).collect();
        kinds.push("NoSuchConfig".to_string());
        kinds.sort();
        kinds.dedup();
        (segments, kinds)
    }

    #[test]
    fn index_agrees_with_the_table_on_every_rule() {
        let (_, kinds) = segments_and_kinds();
        for (_, pattern, _) in RULES {
            for fill in ["x", "name"] {
                let path = p(&pattern.replace("**.", "a.b.").replace('*', fill));
                for kind in &kinds {
                    assert_eq!(
                        rule_for(kind, &path),
                        rule_for_linear(kind, &path),
                        "{kind} {path:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn index_agrees_with_the_table(
            picks in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..6),
            kind in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let (segments, kinds) = segments_and_kinds();
            let path: Vec<String> = picks.iter().map(|i| i.get(&segments).clone()).collect();
            let kind = kind.get(&kinds);
            proptest::prop_assert_eq!(rule_for(kind, &path), rule_for_linear(kind, &path));
        }
    }

    #[test]
    fn exact_wildcard_and_suffix_patterns() {
        assert_eq!(
            rule_for("v1alpha1", &p("cluster.network.podSubnets")),
            Some(Rule::Replace)
        );
        assert_eq!(
            rule_for("v1alpha1", &p("machine.network.interfaces.*.vlans")),
            Some(Rule::KeyedMerge("vlanId"))
        );
        assert_eq!(
            rule_for("v1alpha1", &p("cluster.proxy.extraArgs")),
            Some(Rule::Args)
        );
        assert_eq!(rule_for("v1alpha1", &p("machine.network")), None);
        assert_eq!(
            rule_for("SideroLinkConfig", &p("cluster.network.podSubnets")),
            None
        );
    }

    #[test]
    fn every_rule_names_a_known_kind() {
        for (kind, pattern, _) in RULES {
            assert!(
                *kind == "*" || *kind == "v1alpha1" || talgen_config::KINDS.contains(kind),
                "rule {kind} {pattern}: unknown kind"
            );
        }
    }

    #[test]
    fn unstructured_covers_descendants() {
        assert!(inside_unstructured(
            "v1alpha1",
            &p("machine.kubelet.extraConfig.a.b")
        ));
        assert!(!inside_unstructured(
            "v1alpha1",
            &p("machine.kubelet.image")
        ));
    }
}
