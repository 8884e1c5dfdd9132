//! `OOMConfig`: the userspace out-of-memory handler.

use serde::{Deserialize, Serialize};

use super::CelExpression;
use crate::meta::Duration;
use crate::types::Document;

/// When the OOM handler triggers and which cgroups it picks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct OOMConfig {
    /// Expression deciding when to act.
    #[serde(
        rename = "triggerExpression",
        skip_serializing_if = "CelExpression::is_empty"
    )]
    pub trigger_expression: CelExpression,
    /// Expression ranking cgroups to kill.
    #[serde(
        rename = "cgroupRankingExpression",
        skip_serializing_if = "CelExpression::is_empty"
    )]
    pub cgroup_ranking_expression: CelExpression,
    /// Whether cgroup classes are strictly ordered.
    #[serde(
        rename = "strictCgroupClassOrdering",
        skip_serializing_if = "Option::is_none"
    )]
    pub strict_cgroup_class_ordering: Option<bool>,
    /// How often memory pressure is sampled.
    #[serde(rename = "sampleInterval", skip_serializing_if = "Duration::is_zero")]
    pub sample_interval: Duration,
}

impl Document for OOMConfig {
    const KIND: &'static str = "OOMConfig";
}
