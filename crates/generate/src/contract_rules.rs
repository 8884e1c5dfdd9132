//! What each version contract changes in generated configs (reference
//! only, no items). Each row names the `talgen_contract` predicate the
//! builders ask; "legacy" means a field of the `version: v1alpha1`
//! document, "document" a separate `kind:` document.
//!
//! | since | change | predicate |
//! | --- | --- | --- |
//! | v1.0 | baseline: legacy machine and cluster sections, `machine.network: {}`, AES-CBC secret, `allowSchedulingOnMasters` | — |
//! | v1.1 | Pod Security admission plugin in `cluster.apiServer.admissionControl` | `pod_security_admission_enabled` |
//! | v1.2 | `features.stableHostname`; kubelet `defaultRuntimeSeccompProfileEnabled`; discovery's Kubernetes registry disabled; `allowSchedulingOnControlPlanes` | `stable_hostname_enabled`, `kubelet_default_runtime_seccomp_profile_enabled`, `kubernetes_discovery_backend_disabled`, `kubernetes_allow_scheduling_on_control_planes` |
//! | v1.2 only | `k8s.gcr.io` mirrored to `registry.k8s.io` | `kubernetes_alternate_image_registries` |
//! | v1.3 | `features.apidCheckExtKeyUsage`; default audit policy; kubelet `disableManifestsDirectory`; secretbox secret instead of AES-CBC | `apid_ext_key_usage_check_enabled`, `api_server_audit_policy_supported`, `kubelet_manifests_directory_disabled`, `secretbox_encryption_supported` |
//! | v1.5 | `features.diskQuotaSupport` | `disk_quota_support_enabled` |
//! | v1.6 | `features.kubePrism` on port 7445 (an explicit port wins; 0 disables) | `kube_prism_enabled` |
//! | v1.7 | `features.hostDNS` | `host_dns_enabled` |
//! | v1.8 | host DNS forwards kube-dns; workers carry `clusterName`; control planes get the exclude-from-external-load-balancers label | `host_dns_forward_kube_dns_to_host`, `cluster_name_for_workers`, `add_exclude_from_external_load_balancer` |
//! | v1.12 | registries and hostname as documents (`RegistryMirrorConfig`, `RegistryTLSConfig`, `HostnameConfig`); no `disablePodSecurityPolicy`, `rbac`, `apidCheckExtKeyUsage`; install `grubUseUKICmdline`; endpoint host no longer an API server SAN | `multidoc_network_config_supported`, `hide_disable_psp`, `hide_rbac_and_key_usage`, `grub_use_uki_cmdline_default`, `populate_cluster_sans_from_endpoint` |
//! | v1.13 | KubeSpan as `KubeSpanConfig`; no empty `machine.network` | `kube_span_multidoc_config` |
//! | v1.14 | discovery, identity, install, resolver, sysctls as documents; `VolumeConfig` (EPHEMERAL secure mount), `FilesystemTrimConfig`, `SecurityProfileConfig`; all Kubernetes settings as `Kube*` documents | `discovery_service_multidoc_config`, `discovery_identity_multidoc_config`, `unattended_install_config`, `host_dns_multidoc_config`, `multidoc_sysctl_config_supported`, `filesystem_trim_enabled_by_default`, `workload_isolation_enabled_by_default`, `multidoc_kubernetes_config_supported` |
//!
//! Document order after the v1alpha1 one: discovery service, discovery
//! identity, unattended install (only with an install disk), resolver,
//! sysctls, volume, trim, security profile, registry documents (sorted by
//! kind, then registry host), hostname, KubeSpan, then the Kubernetes
//! documents every node gets (cluster, node, kubelet, network, API server
//! CA, KubePrism) and, on init and controlplane, the control plane ones
//! (aggregator CA, admission, audit, authentication, the node and RBAC
//! authorizers, etcd encryption, service account, the four components,
//! flannel unless a custom CNI is set, CoreDNS, the custom CNI manifest).
//!
//! Init configs equal controlplane configs except for `machine.type`.
//! Workers get the OS and Kubernetes CA certificates without keys, no
//! control plane sections, and write a custom CNI URL exactly as given
//! where control planes write it re-printed the way Go's URL type does.
