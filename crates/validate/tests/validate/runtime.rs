//! Registry, runtime and extension kinds, cases of upstream
//! `types/cri/*_test.go`, `types/runtime/*_test.go` and
//! `types/runtime/extensions/*_test.go`.

use super::*;

mod registry {
    use super::*;

    kind_cases! {
        mirror_empty: "kind: RegistryMirrorConfig\nname: \"\"\n" => ["name"];
        mirror_invalid_endpoint_url: "kind: RegistryMirrorConfig\nname: docker.io\nendpoints:\n  - url: \"\"\n" => ["endpoints[0].url: an endpoint URL is required"];
        mirror_unsupported_endpoint_url_scheme: "kind: RegistryMirrorConfig\nname: docker.io\nendpoints:\n  - url: ftp://my-registry.local:5000\n" => ["endpoints[0].url: the scheme \"ftp\""];
        mirror_valid_empty_endpoints: "kind: RegistryMirrorConfig\nname: docker.io\n" => [];
        mirror_valid: "kind: RegistryMirrorConfig\nname: docker.io\nendpoints:\n  - url: https://my-private-registry.local:5000\n  - url: http://my-harbor/v2/registry-k8s.io/\n    overridePath: true\n" => [];
        auth_empty: "kind: RegistryAuthConfig\nname: \"\"\n" => ["name"];
        auth_username_and_identity_token: "kind: RegistryAuthConfig\nname: r\nusername: user\nidentityToken: token\n" => ["identityToken: username/password and identityToken exclude"];
        auth_with_username: "kind: RegistryAuthConfig\nname: r\nauth: abc\nusername: user\n" => ["auth: auth excludes"];
        auth_valid: "kind: RegistryAuthConfig\nname: r\nusername: user\n" => [];
        tls_empty: "kind: RegistryTLSConfig\nname: \"\"\n" => ["name"];
        tls_bad_ca: "kind: RegistryTLSConfig\nname: r\nca: not a pem\n" => ["ca: the CA holds no parsable PEM certificate"];
        tls_client_identity_without_key: "kind: RegistryTLSConfig\nname: r\nclientIdentity:\n  cert: \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\"\n" => ["clientIdentity: client identity: the key is missing"];
        tls_valid: "kind: RegistryTLSConfig\nname: r\ninsecureSkipVerify: true\n" => [];
    }
}

mod runtime_kinds {
    use super::*;

    kind_cases! {
        event_sink_empty: "kind: EventSinkConfig\n" => ["endpoint: not a host:port endpoint"];
        event_sink_just_ip: "kind: EventSinkConfig\nendpoint: 10.0.0.1\n" => ["missing port"];
        event_sink_valid: "kind: EventSinkConfig\nendpoint: \"[ff:80::01]:334\"\n" => [];
        // Issue 10: net.SplitHostPort's own rules and words (zones kept, no port check).
        event_sink_zone_and_named_port: "kind: EventSinkConfig\nendpoint: \"[fe80::1%eth0]:http\"\n" => [];
        event_sink_unbracketed_ipv6: "kind: EventSinkConfig\nendpoint: \"fd00::1\"\n" => ["endpoint: not a host:port endpoint: address fd00::1: too many colons in address"];
        kmsg_log_empty: "kind: KmsgLogConfig\nname: \"\"\n" => ["name"];
        kmsg_log_no_url: "kind: KmsgLogConfig\nname: name1\n" => ["url: a URL is required"];
        kmsg_log_wrong_scheme: "kind: KmsgLogConfig\nname: name2\nurl: https://some.destination/path\n" => ["tcp:// or udp://"];
        kmsg_log_extra_path: "kind: KmsgLogConfig\nname: name5\nurl: tcp://some.destination:34/path\n" => ["takes no path"];
        kmsg_log_no_port: "kind: KmsgLogConfig\nname: name6\nurl: tcp://some.destination/\n" => ["needs a port"];
        kmsg_log_valid_tcp: "kind: KmsgLogConfig\nname: name3\nurl: tcp://10.2.3.4:5000/\n" => [];
        kmsg_log_valid_udp: "kind: KmsgLogConfig\nname: name4\nurl: udp://10.2.3.4:5000/\n" => [];
        // Issue 10: Go compares the decoded path, and a port needs digits after the host's colon.
        kmsg_log_escaped_slash_is_a_path: "kind: KmsgLogConfig\nname: n\nurl: tcp://10.2.3.4:5000/%2F\n" => ["url: the URL takes no path"];
        kmsg_log_query_is_no_path: "kind: KmsgLogConfig\nname: n\nurl: tcp://u@10.2.3.4:5000?x#y\n" => [];
        kmsg_log_bracketed_host_without_port: "kind: KmsgLogConfig\nname: n\nurl: \"tcp://[fd00::1]\"\n" => ["url: the URL needs a port"];
        watchdog_timer_empty: "kind: WatchdogTimerConfig\n" => ["device"];
        watchdog_timer_negative_timeout: "kind: WatchdogTimerConfig\ndevice: /dev/watchdog1\ntimeout: -1m\n" => ["at least 10s"];
        watchdog_timer_small_timeout: "kind: WatchdogTimerConfig\ndevice: /dev/watchdog1\ntimeout: 1s\n" => ["at least 10s"];
        watchdog_timer_valid: "kind: WatchdogTimerConfig\ndevice: /dev/watchdog2\n" => [];
        environment_empty: "kind: EnvironmentConfig\n" => [];
        environment_valid: "kind: EnvironmentConfig\nvariables:\n  HTTP_PROXY: http://proxy.example.com:8080\n  HTTPS_PROXY: http://proxy.example.com:8080\n  NO_PROXY: localhost\n" => [];
        environment_invalid_starts_with_invalid_character: "kind: EnvironmentConfig\nvariables:\n  1INVALID: value\n" => ["\"1INVALID\""];
        environment_invalid_contains_invalid_character: "kind: EnvironmentConfig\nvariables:\n  INVALID-CHAR: value\n" => ["\"INVALID-CHAR\""];
        environment_invalid_empty: "kind: EnvironmentConfig\nvariables:\n  \"\": value\n" => ["\"\" is not a POSIX"];
        sysctl_empty_key: "kind: SysctlConfig\nparams:\n  \"\": \"1\"\n" => ["params"];
        sysctl_valid: "kind: SysctlConfig\nparams:\n  net.ipv4.ip_forward: \"1\"\n" => [];
        sysfs_empty_key: "kind: SysfsConfig\nparams:\n  \"\": \"1\"\n" => ["params"];
        kernel_module_empty: "kind: KernelModuleConfig\nname: \"\"\n" => ["name"];
        kernel_module_valid: "kind: KernelModuleConfig\nname: br_netfilter\n" => [];
        oom_negative_sample_interval: "kind: OOMConfig\nsampleInterval: -1s\n" => ["sampleInterval"];
    }
}

mod etc_file_config {
    use super::*;

    fn etc(name: &str) -> String {
        format!("kind: EtcFileConfig\nname: \"{name}\"\ncontents: x\n")
    }

    kind_cases! {
        valid: etc("foo.conf") => [];
        valid_nested: etc("foo/bar.conf") => [];
        empty: etc("") => ["name: the file name under /etc is required"];
        resolv_conf: etc("resolv.conf") => ["/etc/resolv.conf is managed by Talos"];
        hosts: etc("hosts") => ["managed by Talos"];
        machine_id: etc("machine-id") => ["managed by Talos"];
        extensions_yaml: etc("extensions.yaml") => ["managed by Talos"];
        os_release: etc("os-release") => ["managed by Talos"];
        localtime: etc("localtime") => ["managed by Talos"];
        xattr_conf: etc("xattr.conf") => ["managed by Talos"];
        cri_prefix: etc("cri/conf.d/foo.part") => ["managed by Talos"];
        trusted_roots: etc("ssl/certs/ca-certificates.crt") => ["managed by Talos"];
        cni_prefix: etc("cni/net.d/10-flannel.conflist") => ["managed by Talos"];
        kubernetes_prefix: etc("kubernetes/kubelet.conf") => ["managed by Talos"];
        apparmor_prefix: etc("apparmor/parser.conf") => ["managed by Talos"];
        apparmor_d_prefix: etc("apparmor.d/profile") => ["managed by Talos"];
        ca_certificates_prefix: etc("ca-certificates/update.d/foo") => ["managed by Talos"];
        ca_certificates_exact: etc("ca-certificates") => ["managed by Talos"];
        lvm_prefix: etc("lvm/lvm.conf") => ["managed by Talos"];
        pki_prefix: etc("pki/tls/certs/ca-bundle.crt") => ["managed by Talos"];
        selinux_prefix: etc("selinux/config") => ["managed by Talos"];
        escaped_path: etc("../foo") => ["relative path inside /etc"];
        escaped_nested_path: etc("foo/../../bar") => ["relative path inside /etc"];
        absolute_path: etc("/foo") => ["relative path inside /etc"];
        dot_path: etc("./foo") => ["relative path inside /etc"];
        dot_prefix: etc(".foo") => ["relative path inside /etc"];
    }
}

mod extension_service_config {
    use super::*;

    kind_cases! {
        empty_name: "kind: ExtensionServiceConfig\nname: \"\"\n" => ["name"];
        no_files_or_environment: "kind: ExtensionServiceConfig\nname: nut-client\n" => ["neither config files nor environment"];
        missing_content: "kind: ExtensionServiceConfig\nname: nut-client\nconfigFiles:\n  - mountPath: /usr/local/etc/nut/upsmon.conf\n" => ["configFiles[0].content"];
        missing_mount_path: "kind: ExtensionServiceConfig\nname: nut-client\nconfigFiles:\n  - content: MONITOR\n" => ["configFiles[0].mountPath"];
        valid_environment_only: "kind: ExtensionServiceConfig\nname: nut-client\nenvironment: [NUT_UPS=upsname]\n" => [];
        valid: "kind: ExtensionServiceConfig\nname: nut-client\nconfigFiles:\n  - content: MONITOR\n    mountPath: /usr/local/etc/nut/upsmon.conf\n" => [];
    }
}
