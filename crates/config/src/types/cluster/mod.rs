//! Cluster membership documents (upstream `types/cluster`): discovery service and identity.

mod discovery_identity;
mod discovery_service;

pub use discovery_identity::DiscoveryIdentityConfig;
pub use discovery_service::DiscoveryServiceConfig;
