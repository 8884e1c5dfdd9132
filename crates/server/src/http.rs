//! The HTTP face: the seed routes devices fetch from, the admin API, and
//! health. [`router`] builds it all from one [`Service`]; limits (body
//! size, time) are layers, handlers only parse, call the service on a
//! blocking thread and map its typed error to a status.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::ApiError;
use crate::model::{
    ClusterCreate, ClusterUpdate, CredentialsRequest, DeviceCreate, DeviceUpdate, ErrorBody,
    Rollback,
};
use crate::service::{Actor, Fetched, FileKind, Role, Service};

/// The largest admin request body accepted (1 MiB: patches included).
pub const MAX_BODY: usize = 1 << 20;
/// How long one request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The admin API's routes, `(method, path)`, as the OpenAPI document
/// lists them.
pub const API_ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/clusters"),
    ("post", "/api/v1/clusters"),
    ("get", "/api/v1/clusters/{name}"),
    ("patch", "/api/v1/clusters/{name}"),
    ("delete", "/api/v1/clusters/{name}"),
    ("get", "/api/v1/devices"),
    ("post", "/api/v1/devices"),
    ("get", "/api/v1/devices/{id}"),
    ("patch", "/api/v1/devices/{id}"),
    ("delete", "/api/v1/devices/{id}"),
    ("post", "/api/v1/devices/{id}/reset"),
    ("get", "/api/v1/devices/{id}/revisions"),
    ("get", "/api/v1/devices/{id}/revisions/{n}"),
    ("post", "/api/v1/devices/{id}/rollback"),
    ("get", "/api/v1/devices/{id}/diff"),
    ("get", "/api/v1/devices/{id}/fetches"),
    ("post", "/api/v1/clusters/{name}/talosconfig"),
    ("post", "/api/v1/clusters/{name}/kubeconfig"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/openapi.json"),
];

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "request failed");
        }
        let mut resp = (
            status,
            axum::Json(ErrorBody {
                error: self.to_string(),
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

/// A JSON request body whose rejections are [`ApiError::Invalid`] with
/// serde's message (field and position).
struct JsonBody<T>(T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::Invalid(format!("request body over {MAX_BODY} bytes"))
            } else {
                ApiError::Invalid(format!("reading request body: {e}"))
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::Invalid(format!("invalid JSON body: {e}")))
    }
}

type Shared = Arc<Service>;

async fn blocking<T, F>(service: &Shared, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&Service) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let s = Arc::clone(service);
    tokio::task::spawn_blocking(move || f(&s))
        .await
        .map_err(|e| ApiError::Internal(format!("worker failed: {e}")))?
}

async fn actor(service: &Shared, headers: &HeaderMap, need: Role) -> Result<Actor, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError::Unauthorized)?
        .to_owned();
    let actor = blocking(service, move |s| s.authenticate(&token)).await?;
    if actor.role < need {
        return Err(ApiError::Forbidden(format!(
            "token {} is {}; this needs {}",
            actor.name,
            actor.role.as_str(),
            need.as_str()
        )));
    }
    Ok(actor)
}

fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    (status, axum::Json(value)).into_response()
}

/// Builds the whole HTTP service; seed routes live under `prefix`
/// (`/nocloud`).
pub fn router(service: Shared, prefix: &str) -> Router {
    let seed_path = format!("{}/{{device}}/{{file}}", prefix.trim_end_matches('/'));
    Router::new()
        .route(&seed_path, get(seed))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/clusters", get(list_clusters).post(create_cluster))
        .route(
            "/api/v1/clusters/{name}",
            get(get_cluster)
                .patch(update_cluster)
                .delete(delete_cluster),
        )
        .route("/api/v1/clusters/{name}/talosconfig", post(talosconfig))
        .route("/api/v1/clusters/{name}/kubeconfig", post(kubeconfig))
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/devices", get(list_devices).post(create_device))
        .route(
            "/api/v1/devices/{id}",
            get(get_device).patch(update_device).delete(delete_device),
        )
        .route("/api/v1/devices/{id}/reset", post(reset_device))
        .route("/api/v1/devices/{id}/revisions", get(revisions))
        .route("/api/v1/devices/{id}/revisions/{n}", get(revision))
        .route("/api/v1/devices/{id}/rollback", post(rollback))
        .route("/api/v1/devices/{id}/diff", get(diff))
        .route("/api/v1/devices/{id}/fetches", get(fetches))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&service),
            count_requests,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(service)
}

// ---- seed ----

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?.trim();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                matches!(
                    p.replace(' ', "").as_str(),
                    "q=0" | "q=0.0" | "q=0.00" | "q=0.000"
                )
            });
            coding.eq_ignore_ascii_case("gzip") && !refused
        })
}

/// `GET {prefix}/{device}/{file}`. Talos (`platform/nocloud` with
/// `pkg/download`) asks for meta-data, network-config, then user-data,
/// retrying each, with basic auth from the seed URL. An unknown device
/// and a wrong secret get the same 401; a held-back device gets 503 for
/// user-data so the node keeps waiting instead of entering maintenance
/// mode, which a 404 would cause.
async fn seed(
    State(service): State<Shared>,
    Path((device, file)): Path<(String, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let Some(kind) = FileKind::parse(&file) else {
        return (StatusCode::NOT_FOUND, "no such file\n").into_response();
    };
    let creds = basic_auth(&headers);
    let gzip = accepts_gzip(&headers);
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let outcome = blocking(&service, move |s| {
        s.fetch(
            &device,
            kind,
            creds.as_ref().map(|(u, p)| (u.as_str(), p.as_str())),
            peer.ip(),
        )
    })
    .await;
    let mut resp = match outcome {
        Ok(Fetched::Ok { payload, .. }) => {
            let (etag, body, encoding) = if gzip && !payload.gzip.is_empty() {
                (
                    format!("\"{}-gzip\"", payload.sha256),
                    payload.gzip.clone(),
                    Some("gzip"),
                )
            } else {
                (
                    format!("\"{}\"", payload.sha256),
                    payload.body.clone(),
                    None,
                )
            };
            if if_none_match
                .as_deref()
                .is_some_and(|m| m.split(',').any(|t| t.trim() == etag))
            {
                let mut r = StatusCode::NOT_MODIFIED.into_response();
                if let Ok(v) = HeaderValue::from_str(&etag) {
                    r.headers_mut().insert(header::ETAG, v);
                }
                r
            } else {
                let mut r = Response::new(Body::from(body));
                let h = r.headers_mut();
                h.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                if let Ok(v) = HeaderValue::from_str(&etag) {
                    h.insert(header::ETAG, v);
                }
                if let Some(e) = encoding {
                    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
                }
                r
            }
        }
        Ok(Fetched::Unauthorized) => {
            let mut r = (StatusCode::UNAUTHORIZED, "unauthorized\n").into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"talgen\""),
            );
            r
        }
        Ok(Fetched::TooMany) => {
            let mut r =
                (StatusCode::TOO_MANY_REQUESTS, "too many failed attempts\n").into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            r
        }
        Ok(Fetched::NotReady) => {
            let mut r = (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
            r
        }
        Err(e) => {
            tracing::warn!(error = %e, "seed fetch failed");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n").into_response()
        }
    };
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Authorization"),
    );
    resp
}

async fn readyz(State(service): State<Shared>) -> Response {
    match blocking(&service, |s| Ok(s.store().ping()?)).await {
        Ok(()) => "ready\n".into_response(),
        Err(e) => ApiError::Unavailable(e.to_string()).into_response(),
    }
}

async fn metrics(State(service): State<Shared>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        service.metrics().render_text(),
    )
        .into_response()
}

/// Counts every request by its matched route (not its raw path, so device
/// ids do not multiply the series).
async fn count_requests(
    State(service): State<Shared>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let resp = next.run(req).await;
    service
        .metrics()
        .request(&method, &route, resp.status().as_u16());
    resp
}

async fn openapi() -> Response {
    json(StatusCode::OK, &crate::openapi::document())
}

// ---- clusters ----

async fn list_clusters(State(s): State<Shared>, h: HeaderMap) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let v = blocking(&s, |s| s.list_clusters()).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn create_cluster(
    State(s): State<Shared>,
    h: HeaderMap,
    JsonBody(req): JsonBody<ClusterCreate>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Admin).await?;
    let v = blocking(&s, move |s| s.create_cluster(&a, req)).await?;
    Ok(json(StatusCode::CREATED, &v))
}

async fn get_cluster(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let v = blocking(&s, move |s| s.get_cluster(&name)).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn update_cluster(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(name): Path<String>,
    JsonBody(req): JsonBody<ClusterUpdate>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    let v = blocking(&s, move |s| s.update_cluster(&a, &name, req)).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn delete_cluster(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Admin).await?;
    blocking(&s, move |s| s.delete_cluster(&a, &name)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An optional JSON body: empty means all defaults.
struct OptionalJson<T>(T);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::Invalid(format!("reading request body: {e}")))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        serde_json::from_slice(&bytes)
            .map(OptionalJson)
            .map_err(|e| ApiError::Invalid(format!("invalid JSON body: {e}")))
    }
}

fn yaml(text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/yaml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

async fn talosconfig(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(name): Path<String>,
    OptionalJson(req): OptionalJson<CredentialsRequest>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    Ok(yaml(
        blocking(&s, move |s| s.talosconfig(&a, &name, &req)).await?,
    ))
}

async fn kubeconfig(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(name): Path<String>,
    OptionalJson(req): OptionalJson<CredentialsRequest>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    Ok(yaml(
        blocking(&s, move |s| s.kubeconfig(&a, &name, &req)).await?,
    ))
}

async fn audit(
    State(s): State<Shared>,
    h: HeaderMap,
    Query(q): Query<FetchQuery>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let limit = q.limit.unwrap_or(100).min(10_000);
    let rows = blocking(&s, move |s| s.audit_log(limit)).await?;
    let v: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "at": crate::service::time_text(r.at),
                "actor": r.actor,
                "action": r.action,
                "target": r.target,
                "detail": r.detail,
            })
        })
        .collect();
    Ok(json(StatusCode::OK, &v))
}

// ---- devices ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceFilter {
    cluster: Option<String>,
}

async fn list_devices(
    State(s): State<Shared>,
    h: HeaderMap,
    Query(q): Query<DeviceFilter>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let v = blocking(&s, move |s| s.list_devices(q.cluster.as_deref())).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn create_device(
    State(s): State<Shared>,
    h: HeaderMap,
    JsonBody(req): JsonBody<DeviceCreate>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    let v = blocking(&s, move |s| s.create_device(&a, req)).await?;
    Ok(json(StatusCode::CREATED, &v))
}

async fn get_device(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let v = blocking(&s, move |s| s.get_device(&id)).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn update_device(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<DeviceUpdate>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    let v = blocking(&s, move |s| s.update_device(&a, &id, req)).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn delete_device(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    blocking(&s, move |s| s.delete_device(&a, &id)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn reset_device(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    let v = blocking(&s, move |s| s.reset_device(&a, &id)).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn revisions(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let v = blocking(&s, move |s| s.revisions(&id)).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn revision(
    State(s): State<Shared>,
    h: HeaderMap,
    Path((id, n)): Path<(String, i64)>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let v = blocking(&s, move |s| s.revision(&id, n)).await?;
    Ok(json(StatusCode::OK, &v))
}

async fn rollback(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<Rollback>,
) -> Result<Response, ApiError> {
    let a = actor(&s, &h, Role::Operator).await?;
    let v = blocking(&s, move |s| s.rollback(&a, &id, req.revision)).await?;
    Ok(json(StatusCode::CREATED, &v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffQuery {
    from: i64,
    to: i64,
}

async fn diff(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let text = blocking(&s, move |s| s.diff(&id, q.from, q.to)).await?;
    Ok(([(header::CONTENT_TYPE, "text/x-diff; charset=utf-8")], text).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FetchQuery {
    limit: Option<usize>,
}

async fn fetches(
    State(s): State<Shared>,
    h: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<FetchQuery>,
) -> Result<Response, ApiError> {
    actor(&s, &h, Role::ReadOnly).await?;
    let limit = q.limit.unwrap_or(100).min(10_000);
    let v = blocking(&s, move |s| s.fetches(&id, limit)).await?;
    Ok(json(StatusCode::OK, &v))
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// requests in flight finish.
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
