//! The admin API's OpenAPI 3.1 document, served at `/api/v1/openapi.json`
//! and built from [`crate::http::API_ROUTES`], so the document and the
//! router list the same routes (a test checks both ways).

use serde_json::{json, Map, Value};

use crate::http::API_ROUTES;

fn summary(method: &str, path: &str) -> &'static str {
    match (method, path) {
        ("get", "/api/v1/clusters") => "List clusters",
        ("post", "/api/v1/clusters") => "Create a cluster (secrets adopted or generated)",
        ("get", "/api/v1/clusters/{name}") => "Show a cluster",
        ("patch", "/api/v1/clusters/{name}") => "Change a cluster; its devices are re-rendered",
        ("delete", "/api/v1/clusters/{name}") => "Delete a cluster without devices",
        ("get", "/api/v1/devices") => "List devices (?cluster=)",
        ("post", "/api/v1/devices") => {
            "Register a device: answers its secret and SMBIOS serial once"
        }
        ("get", "/api/v1/devices/{id}") => "Show a device",
        ("patch", "/api/v1/devices/{id}") => {
            "Change a device; a new revision when its inputs change"
        }
        ("delete", "/api/v1/devices/{id}") => "Delete a device with its revisions",
        ("post", "/api/v1/devices/{id}/reset") => "New revision and rotated secret",
        ("get", "/api/v1/devices/{id}/revisions") => "List revisions, newest first",
        ("get", "/api/v1/devices/{id}/revisions/{n}") => "Show a revision with its files",
        ("post", "/api/v1/devices/{id}/rollback") => {
            "Serve an earlier revision's files as a new revision"
        }
        ("get", "/api/v1/devices/{id}/diff") => "Unified diff between two revisions (?from=&to=)",
        ("get", "/api/v1/devices/{id}/fetches") => "The device's fetch log, newest first",
        ("post", "/api/v1/clusters/{name}/talosconfig") => {
            "Issue a talosconfig (audited; 1h unless ttl)"
        }
        ("post", "/api/v1/clusters/{name}/kubeconfig") => {
            "Issue an admin kubeconfig (audited; 1h unless ttl)"
        }
        ("get", "/api/v1/audit") => "The audit trail, newest first",
        ("get", "/api/v1/openapi.json") => "This document",
        _ => "",
    }
}

fn params(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            json!({
                "name": name,
                "in": "path",
                "required": true,
                "schema": { "type": if name == "n" { "integer" } else { "string" } }
            })
        })
        .collect()
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for (method, path) in API_ROUTES {
        let entry = paths
            .entry((*path).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(ops) = entry {
            let security = if *path == "/api/v1/openapi.json" {
                json!([])
            } else {
                json!([{ "bearer": [] }])
            };
            let op = json!({
                "summary": summary(method, path),
                "security": security,
                "parameters": params(path),
                "responses": {
                    "200": { "description": "success" },
                    "400": { "description": "invalid request", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "401": { "description": "missing or unknown token" },
                    "403": { "description": "the token's role may not do this" }
                }
            });
            ops.insert((*method).to_owned(), op);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "talgen config server", "version": env!("CARGO_PKG_VERSION") },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": { "type": "string" } }, "required": ["error"] }
            }
        }
    })
}
