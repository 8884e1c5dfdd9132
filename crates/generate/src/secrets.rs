//! The secrets generation embeds, read once from a [`talgen_secrets::Bundle`]
//! into plain PEM bytes and strings, so config builders do not depend on
//! the bundle's own layout.

use talgen_config::meta::PemEncodedCertificateAndKey;
use talgen_contract::Contract;

use crate::error::Error;

/// Secrets of one bundle, as the config builders use them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Material {
    pub(crate) cluster_id: String,
    pub(crate) cluster_secret: String,
    pub(crate) bootstrap_token: String,
    pub(crate) aescbc_encryption_secret: String,
    pub(crate) secretbox_encryption_secret: String,
    pub(crate) trustd_token: String,
    pub(crate) os: PemEncodedCertificateAndKey,
    pub(crate) etcd: PemEncodedCertificateAndKey,
    pub(crate) k8s: PemEncodedCertificateAndKey,
    pub(crate) k8s_aggregator: PemEncodedCertificateAndKey,
    pub(crate) k8s_service_account_key: Vec<u8>,
}

fn pair(c: &talgen_secrets::CertAndKey) -> PemEncodedCertificateAndKey {
    PemEncodedCertificateAndKey {
        crt: c.crt.clone(),
        key: c.key.clone(),
    }
}

impl Material {
    /// Copies what generation needs out of `bundle`.
    pub(crate) fn from_bundle(b: &talgen_secrets::Bundle) -> Self {
        Self {
            cluster_id: b.cluster.id.clone(),
            cluster_secret: b.cluster.secret.clone(),
            bootstrap_token: b.secrets.bootstrap_token.clone(),
            aescbc_encryption_secret: b.secrets.aescbc_encryption_secret.clone(),
            secretbox_encryption_secret: b.secrets.secretbox_encryption_secret.clone(),
            trustd_token: b.trustd_info.token.clone(),
            os: pair(&b.certs.os),
            etcd: pair(&b.certs.etcd),
            k8s: pair(&b.certs.k8s),
            k8s_aggregator: pair(&b.certs.k8s_aggregator),
            k8s_service_account_key: b.certs.k8s_service_account.key.clone(),
        }
    }
}

/// A fresh bundle for `contract`, valid from now.
pub(crate) fn new_bundle(contract: Contract) -> Result<talgen_secrets::Bundle, Error> {
    talgen_secrets::Bundle::generate(contract, talgen_secrets::Clock::fixed_now())
        .map_err(|e| Error::Secrets(e.to_string()))
}
