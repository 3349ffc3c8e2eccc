//! Request counters and a latency histogram, rendered with the gauges at `/metrics` in the
//! Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

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
}

/// Gauges read at scrape time.
pub struct Gauges {
    pub open_tenant_pools: usize,
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
        out.push_str(
            "# HELP onebox_http_requests_total HTTP requests by route group and status.\n",
        );
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
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        counter(
            &mut out,
            "onebox_http_accept_errors_total",
            "Failed accepts (such as running out of file descriptors); the server backs off.",
            m.accept_errors,
        );
        counter(
            &mut out,
            "onebox_http_refused_connections_total",
            "Connections refused with 503 because max_connections were busy.",
            m.refused_connections,
        );
        let gauge = |out: &mut String, name: &str, help: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        };
        gauge(
            &mut out,
            "onebox_http_open_connections",
            "Client connections open now.",
            self.open_connections().to_string(),
        );
        gauge(
            &mut out,
            "onebox_open_tenant_pools",
            "Tenant databases with an open connection pool.",
            gauges.open_tenant_pools.to_string(),
        );
        gauge(
            &mut out,
            "onebox_tenants",
            "Registered tenants.",
            gauges.tenants.to_string(),
        );
        gauge(
            &mut out,
            "onebox_outbox_backlog",
            "Mail waiting for delivery, as of the mailer's last look.",
            gauges.outbox_backlog.to_string(),
        );
        out
    }
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
    }
}
