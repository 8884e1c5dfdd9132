//! Prometheus metrics, in the text exposition format: requests by route
//! and status, seed fetches by file and outcome, and render latency.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the render latency histogram's buckets.
const RENDER_BUCKETS: [f64; 10] = [
    0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.05, 0.25, 1.0,
];

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    fetches: BTreeMap<(&'static str, &'static str), u64>,
    render_counts: [u64; RENDER_BUCKETS.len()],
    render_total: u64,
    render_sum: f64,
}

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one HTTP request by method, matched route and status.
    pub fn request(&self, method: &str, route: &str, status: u16) {
        *self
            .inner()
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
    }

    /// Counts one seed fetch by file and outcome (`ok`, `unauthorized`,
    /// `not_ready`, `too_many`, `error`).
    pub fn fetch(&self, file: &'static str, outcome: &'static str) {
        *self.inner().fetches.entry((file, outcome)).or_default() += 1;
    }

    /// Records how long rendering one device took.
    pub fn render(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let mut inner = self.inner();
        for (i, bound) in RENDER_BUCKETS.iter().enumerate() {
            if secs <= *bound {
                if let Some(c) = inner.render_counts.get_mut(i) {
                    *c += 1;
                }
            }
        }
        inner.render_total += 1;
        inner.render_sum += secs;
    }

    /// The exposition text.
    pub fn render_text(&self) -> String {
        let inner = self.inner();
        let mut out = String::new();
        out.push_str(
            "# HELP talgen_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE talgen_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "talgen_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                route.replace('\\', "\\\\").replace('"', "\\\"")
            );
        }
        out.push_str("# HELP talgen_seed_fetches_total Device fetches by file and outcome.\n");
        out.push_str("# TYPE talgen_seed_fetches_total counter\n");
        for ((file, outcome), n) in &inner.fetches {
            let _ = writeln!(
                out,
                "talgen_seed_fetches_total{{file=\"{file}\",outcome=\"{outcome}\"}} {n}"
            );
        }
        out.push_str("# HELP talgen_render_seconds Time to render one device's files.\n");
        out.push_str("# TYPE talgen_render_seconds histogram\n");
        for (bound, n) in RENDER_BUCKETS.iter().zip(inner.render_counts.iter()) {
            let _ = writeln!(out, "talgen_render_seconds_bucket{{le=\"{bound}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "talgen_render_seconds_bucket{{le=\"+Inf\"}} {}",
            inner.render_total
        );
        let _ = writeln!(out, "talgen_render_seconds_sum {}", inner.render_sum);
        let _ = writeln!(out, "talgen_render_seconds_count {}", inner.render_total);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_histogram_print() {
        let m = Metrics::default();
        m.request("GET", "/nocloud/{device}/{file}", 200);
        m.request("GET", "/nocloud/{device}/{file}", 200);
        m.fetch("user-data", "ok");
        m.render(Duration::from_micros(300));
        let t = m.render_text();
        assert!(t.contains("talgen_http_requests_total{method=\"GET\",route=\"/nocloud/{device}/{file}\",status=\"200\"} 2"), "{t}");
        assert!(
            t.contains("talgen_seed_fetches_total{file=\"user-data\",outcome=\"ok\"} 1"),
            "{t}"
        );
        assert!(
            t.contains("talgen_render_seconds_bucket{le=\"0.00025\"} 0"),
            "{t}"
        );
        assert!(
            t.contains("talgen_render_seconds_bucket{le=\"0.0005\"} 1"),
            "{t}"
        );
        assert!(t.contains("talgen_render_seconds_count 1"), "{t}");
    }
}
