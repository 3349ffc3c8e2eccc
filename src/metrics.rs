//! Request counters and a latency histogram, rendered with the gauges at `/metrics` in the
//! Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
];

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
    open_connections: AtomicUsize,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(&'static str, u16), u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
    accept_errors: u64,
    refused_connections: u64,
    disk_full: u64,
    /// When a full disk was last logged, and how many refusals since.
    disk_full_logged: Option<(Instant, u64)>,
}

/// Gauges read at scrape time.
pub struct Gauges {
    pub open_tenant_pools: usize,
    pub unavailable_tenants: usize,
    pub tenant_open_failures: u64,
    pub tenants: usize,
    pub outbox_backlog: i64,
}

impl Metrics {
    pub fn record(&self, group: &'static str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *m.requests.entry((group, status)).or_default() += 1;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                m.buckets[i] += 1;
            }
        }
        m.count += 1;
        m.sum += seconds;
    }

    /// Client connections the server holds open now.
    pub fn open_connections(&self) -> usize {
        self.open_connections.load(Ordering::Relaxed)
    }

    pub fn set_open_connections(&self, n: usize) {
        self.open_connections.store(n, Ordering::Relaxed);
    }

    /// Counts a write refused for a full disk. `Some(refusals)` when it is time to log again
    /// (the first, then at most once a minute), with the refusals since the last log line.
    pub fn count_disk_full(&self) -> Option<u64> {
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        m.disk_full += 1;
        let now = Instant::now();
        match &mut m.disk_full_logged {
            Some((at, since)) if now.duration_since(*at) < Duration::from_secs(60) => {
                *since += 1;
                None
            }
            Some((at, since)) => {
                let refused = *since + 1;
                (*at, *since) = (now, 0);
                Some(refused)
            }
            None => {
                m.disk_full_logged = Some((now, 0));
                Some(1)
            }
        }
    }

    pub fn count_accept_error(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .accept_errors += 1;
    }

    pub fn count_refused_connection(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .refused_connections += 1;
    }

    pub fn render(&self, gauges: &Gauges) -> String {
        let m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        render_requests(&mut out, &m);
        let series = [
            (
                "onebox_http_accept_errors_total",
                "counter",
                "Failed accepts (such as running out of file descriptors); the server backs off.",
                m.accept_errors.to_string(),
            ),
            (
                "onebox_disk_full_total",
                "counter",
                "Writes refused because the disk was full (answered 507).",
                m.disk_full.to_string(),
            ),
            (
                "onebox_http_refused_connections_total",
                "counter",
                "Connections refused with 503 because max_connections were busy.",
                m.refused_connections.to_string(),
            ),
            (
                "onebox_http_open_connections",
                "gauge",
                "Client connections open now.",
                self.open_connections().to_string(),
            ),
            (
                "onebox_open_tenant_pools",
                "gauge",
                "Tenant databases with an open connection pool.",
                gauges.open_tenant_pools.to_string(),
            ),
            (
                "onebox_tenants_unavailable",
                "gauge",
                "Workspaces whose file failed to open or to be read (answered 503, retried).",
                gauges.unavailable_tenants.to_string(),
            ),
            (
                "onebox_tenant_failures_total",
                "counter",
                "Times a workspace's file failed to open or to be read.",
                gauges.tenant_open_failures.to_string(),
            ),
            (
                "onebox_tenants",
                "gauge",
                "Registered tenants.",
                gauges.tenants.to_string(),
            ),
            (
                "onebox_outbox_backlog",
                "gauge",
                "Mail waiting for delivery, as of the mailer's last look.",
                gauges.outbox_backlog.to_string(),
            ),
        ];
        for (name, kind, help, value) in series {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        out
    }
}

/// Requests by group and status, and the histogram of their durations.
fn render_requests(out: &mut String, m: &Inner) {
    out.push_str("# HELP onebox_http_requests_total HTTP requests by route group and status.\n");
    out.push_str("# TYPE onebox_http_requests_total counter\n");
    for ((group, status), n) in &m.requests {
        let _ = writeln!(
            out,
            "onebox_http_requests_total{{group=\"{group}\",status=\"{status}\"}} {n}"
        );
    }
    out.push_str("# HELP onebox_http_request_duration_seconds Time to answer a request.\n");
    out.push_str("# TYPE onebox_http_request_duration_seconds histogram\n");
    for (bound, n) in BUCKETS.iter().zip(m.buckets) {
        let _ = writeln!(
            out,
            "onebox_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {n}"
        );
    }
    let _ = writeln!(
        out,
        "onebox_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}",
        m.count
    );
    let _ = writeln!(out, "onebox_http_request_duration_seconds_sum {}", m.sum);
    let _ = writeln!(
        out,
        "onebox_http_request_duration_seconds_count {}",
        m.count
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.record("ui", 200, Duration::from_micros(300));
        m.record("ui", 200, Duration::from_millis(3));
        m.record("api", 404, Duration::from_secs(2));
        let text = m.render(&Gauges {
            unavailable_tenants: 1,
            tenant_open_failures: 5,
            open_tenant_pools: 2,
            tenants: 3,
            outbox_backlog: 4,
        });
        assert!(text.contains("onebox_http_requests_total{group=\"ui\",status=\"200\"} 2"));
        assert!(text.contains("onebox_http_requests_total{group=\"api\",status=\"404\"} 1"));
        assert!(text.contains("onebox_http_request_duration_seconds_bucket{le=\"0.0005\"} 1"));
        assert!(text.contains("onebox_http_request_duration_seconds_bucket{le=\"0.005\"} 2"));
        assert!(text.contains("onebox_http_request_duration_seconds_bucket{le=\"+Inf\"} 3"));
        assert!(text.contains("onebox_open_tenant_pools 2"));
        assert!(text.contains("onebox_outbox_backlog 4"));
        assert!(text.contains("onebox_tenants_unavailable 1"));
        assert!(text.contains("onebox_tenant_failures_total 5"));
    }

    #[test]
    fn a_full_disk_is_logged_once_a_minute_and_counted_every_time() {
        let m = Metrics::default();
        assert_eq!(m.count_disk_full(), Some(1));
        assert_eq!(m.count_disk_full(), None);
        assert_eq!(m.count_disk_full(), None);
        m.inner
            .lock()
            .expect("lock")
            .disk_full_logged
            .as_mut()
            .expect("logged")
            .0 -= Duration::from_secs(61);
        assert_eq!(m.count_disk_full(), Some(3));
        let text = m.render(&Gauges {
            unavailable_tenants: 0,
            tenant_open_failures: 0,
            open_tenant_pools: 0,
            tenants: 0,
            outbox_backlog: 0,
        });
        assert!(text.contains("onebox_disk_full_total 4"), "{text}");
    }
}
