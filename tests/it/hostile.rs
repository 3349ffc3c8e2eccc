//! Hostile and broken clients against the HTTP front: stalled bodies, trickled heads, huge
//! heads, too many connections, protocol junk. While each attack runs, other clients keep
//! getting answers within a second. Every test is bounded in time.

use crate::support::TestApp;
use crate::support::http::{Client, parse};
use onebox::domain::capability::Profile;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A server whose clients get `timeout_secs` to send a request, with workspace `acme`.
fn server(timeout_secs: u64, max_connections: usize) -> TestApp {
    let app = TestApp::start_with(|c| {
        c.client_timeout_secs = Some(timeout_secs);
        c.max_connections = Some(max_connections);
    });
    app.app()
        .create_tenant("acme", "Acme", Profile::Generic, None)
        .expect("create");
    app
}

/// `/healthz` from a fresh connection answers 200 within a second.
fn answers_quickly(addr: SocketAddr) {
    let started = Instant::now();
    let r = Client::new(addr).get("/healthz");
    let took = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(took < Duration::from_secs(1), "healthz took {took:?}");
}

/// Waits (up to two seconds) until the server has `n` client connections open.
fn wait_for_open_connections(app: &TestApp, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while app.app().metrics.open_connections() != n {
        assert!(
            Instant::now() < deadline,
            "open connections: {} instead of {n}",
            app.app().metrics.open_connections()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    s
}

/// Sends raw bytes and reads the answer until the server closes.
fn exchange(addr: SocketAddr, raw: &[u8]) -> (crate::support::http::Response, Duration) {
    let mut s = connect(addr);
    let started = Instant::now();
    let _ = s.write_all(raw);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    (parse(&out), started.elapsed())
}

#[test]
fn stalled_request_bodies_hold_no_worker_and_are_cut_off() {
    let app = server(2, 1024);
    // Twice as many stalled uploads as there are workers.
    let mut stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = connect(app.addr());
            s.write_all(
                b"POST /t/acme/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nemail=a",
            )
            .expect("write");
            s
        })
        .collect();
    for _ in 0..3 {
        answers_quickly(app.addr());
        std::thread::sleep(Duration::from_millis(200));
    }
    let started = Instant::now();
    for s in &mut stalled {
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        assert_eq!(parse(&out).status, 408, "a stalled body is answered 408");
    }
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "stalled clients were cut off after the client timeout, took {:?}",
        started.elapsed()
    );
    answers_quickly(app.addr());
}

#[test]
fn a_trickled_head_is_cut_off_at_the_client_timeout() {
    let app = server(1, 1024);
    let mut s = connect(app.addr());
    let started = Instant::now();
    let mut answer = Vec::new();
    // One byte every 100 ms: each read makes progress, the whole head never arrives in time.
    for b in b"GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
        if s.write_all(&[*b]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    let _ = s.read_to_end(&mut answer);
    assert_eq!(parse(&answer).status, 408);
    assert!(started.elapsed() < Duration::from_secs(4));
    answers_quickly(app.addr());
}

#[test]
fn a_trickled_body_below_the_minimum_pace_is_cut_off() {
    let app = server(1, 1024);
    let mut s = connect(app.addr());
    s.write_all(b"POST /t/acme/login HTTP/1.1\r\nContent-Length: 100000\r\n\r\n")
        .expect("head");
    let started = Instant::now();
    // 100 bytes every 100 ms: it never pauses long, but averages 1 KiB/s, below 4 KiB/s.
    while started.elapsed() < Duration::from_secs(5) {
        if s.write_all(&[b'a'; 100]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    assert_eq!(parse(&answer).status, 408);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "cut off after {:?}",
        started.elapsed()
    );
    answers_quickly(app.addr());
}

#[test]
fn huge_heads_and_too_many_headers_get_431_and_cost_no_memory() {
    let app = server(5, 1024);
    // A 16 MiB header line: refused once the cap is passed, long before it is all sent.
    let mut s = connect(app.addr());
    s.write_all(b"GET /healthz HTTP/1.1\r\nX-Big: ")
        .expect("write");
    let block = vec![b'a'; 64 * 1024];
    let mut sent = 0;
    while sent < 16 * 1024 * 1024 {
        if s.write_all(&block).is_err() {
            break;
        }
        sent += block.len();
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    assert_eq!(parse(&out).status, 431);
    assert!(sent < 16 * 1024 * 1024, "the server stopped reading early");

    let many = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..20_000)
            .map(|i| format!("X-{i}: 1\r\n"))
            .collect::<String>()
    );
    assert_eq!(exchange(app.addr(), many.as_bytes()).0.status, 431);
    let hundred_and_one = format!(
        "GET /healthz HTTP/1.1\r\n{}\r\n",
        (0..101)
            .map(|i| format!("X-{i}: 1\r\n"))
            .collect::<String>()
    );
    assert_eq!(
        exchange(app.addr(), hundred_and_one.as_bytes()).0.status,
        431
    );
    // Just under the caps is fine.
    let fine = format!(
        "GET /healthz HTTP/1.1\r\nConnection: close\r\nX-Big: {}\r\n\r\n",
        "a".repeat(30 * 1024)
    );
    assert_eq!(exchange(app.addr(), fine.as_bytes()).0.status, 200);
    answers_quickly(app.addr());
}

#[test]
fn idle_connections_past_the_cap_make_room_and_busy_ones_get_a_clean_503() {
    let app = server(3, 16);
    // Fifty idle connections: the cap is sixteen; each newcomer closes the longest-idle one.
    let idle: Vec<TcpStream> = (0..50).map(|_| connect(app.addr())).collect();
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..3 {
        answers_quickly(app.addr());
    }
    drop(idle);
    wait_for_open_connections(&app, 0);

    // Sixteen connections in the middle of a request are not idle: a newcomer is refused.
    let busy: Vec<TcpStream> = (0..16)
        .map(|n| {
            let mut s = connect(app.addr());
            s.write_all(b"GET /healthz HTTP/1.1\r\nX-Half: ")
                .expect("write");
            wait_for_open_connections(&app, n + 1);
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let (refused, took) = exchange(app.addr(), b"GET /healthz HTTP/1.1\r\n\r\n");
    assert_eq!(refused.status, 503);
    assert_eq!(refused.header("Retry-After"), Some("1"));
    assert!(took < Duration::from_secs(1), "{took:?}");
    drop(busy);
    std::thread::sleep(Duration::from_millis(600));
    answers_quickly(app.addr());
    let metrics = Client::new(app.addr()).get("/metrics").body;
    assert!(
        metrics.contains("onebox_http_refused_connections_total 1"),
        "{metrics}"
    );
}

#[test]
fn protocol_junk_gets_clear_answers_and_is_counted() {
    let app = server(5, 1024);
    let addr = app.addr();
    let (r, took) = exchange(addr, b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n");
    assert_eq!(r.status, 505);
    assert!(took < Duration::from_secs(1), "answered and closed at once");
    assert_eq!(exchange(addr, b"NOT HTTP AT ALL\r\n\r\n").0.status, 400);
    let bad_chunk = b"POST /t/acme/api/v1/contacts HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n";
    let (r, _) = exchange(addr, bad_chunk);
    assert_eq!(r.status, 400);
    assert!(r.body.contains("invalid chunk size"), "{}", r.body);
    let both =
        b"POST /healthz HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc";
    assert_eq!(exchange(addr, both).0.status, 400);
    let gzip = b"POST /healthz HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n";
    assert_eq!(exchange(addr, gzip).0.status, 501);
    let expect =
        b"POST /healthz HTTP/1.1\r\nContent-Length: 3\r\nExpect: something-else\r\n\r\nabc";
    assert_eq!(exchange(addr, expect).0.status, 417);
    let metrics = Client::new(addr).get("/metrics").body;
    assert!(
        metrics.contains("onebox_http_requests_total{group=\"http\",status=\"400\"} 3"),
        "{metrics}"
    );
    assert!(metrics.contains("onebox_http_requests_total{group=\"http\",status=\"505\"} 1"));
}

#[test]
fn chunked_bodies_keep_alive_pipelining_and_expect_continue_work() {
    let app = server(5, 1024);
    drop(app.tenant_with_owner("beta", Profile::Generic, "owner@beta.test"));
    let mut api = app.api("beta", "owner@beta.test");
    let token = api.headers[0].1.clone();
    let addr = app.addr();

    // A chunked JSON body, with an extension and a trailer.
    let json = br#"{"first_name":"Chunky","last_name":"Body"}"#;
    let (a, b) = json.split_at(10);
    let raw = format!(
        "POST /t/beta/api/v1/contacts HTTP/1.1\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x};ext=1\r\n{}\r\n{:x}\r\n{}\r\n0\r\nX-Trailer: t\r\n\r\n",
        a.len(),
        String::from_utf8_lossy(a),
        b.len(),
        String::from_utf8_lossy(b)
    );
    let (r, _) = exchange(addr, raw.as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["first_name"], "Chunky");

    // Two requests pipelined on one connection: both answered, in order.
    let mut s = connect(addr);
    s.write_all(b"GET /healthz HTTP/1.1\r\n\r\nGET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    let first = text.find("HTTP/1.1 200").expect("first answer");
    let second = text.find("HTTP/1.1 404").expect("second answer");
    assert!(first < second);

    // Expect: 100-continue gets its interim answer before the body is sent.
    let body = br#"{"first_name":"Patient"}"#;
    let mut s = connect(addr);
    write!(
        s,
        "POST /t/beta/api/v1/contacts HTTP/1.1\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .expect("write");
    let mut interim = [0u8; 25];
    s.read_exact(&mut interim).expect("interim answer");
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(body).expect("body");
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    assert_eq!(parse(&out).status, 201);

    // Too large for Expect: refused at once, the body never sent.
    let small = TestApp::start_with(|c| c.max_body_bytes = Some(2048));
    let (r, took) = exchange(
        small.addr(),
        b"POST /healthz HTTP/1.1\r\nContent-Length: 999999\r\nExpect: 100-continue\r\n\r\n",
    );
    assert_eq!(r.status, 413);
    assert!(took < Duration::from_secs(1));
    assert_eq!(api.get("/t/beta/api/v1/contacts").json()["total"], 2);
}

/// The real binary, started under `ulimit -n` of `fds`, its log in `log`.
struct Served {
    child: std::process::Child,
    addr: SocketAddr,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_real(data: &std::path::Path, log: &std::path::Path, fds: u32) -> Served {
    use std::io::BufRead;
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n {fds} && exec \"$0\" serve --listen 127.0.0.1:0 --data \"$1\""
        ))
        .arg(env!("CARGO_BIN_EXE_onebox"))
        .arg(data)
        .env_clear()
        .env("ONEBOX_CLIENT_TIMEOUT_SECS", "3")
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(log).expect("log file"))
        .spawn()
        .expect("spawn");
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .expect("line");
        if let Some(at) = line.find("listening on http://") {
            break line[at + 20..].trim().parse().expect("address");
        }
    };
    Served { child, addr }
}

#[test]
fn descriptor_exhaustion_never_stops_the_listener() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("server.log");
    let served = serve_real(&dir.path().join("data"), &log, 128);
    // Three hundred idle connections against a limit of 128 descriptors.
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(served.addr).ok())
        .collect();
    assert_eq!(
        idle.len(),
        300,
        "the kernel queues what the server cannot take yet"
    );
    for _ in 0..5 {
        answers_quickly(served.addr);
    }
    drop(idle);
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..3 {
        answers_quickly(served.addr);
    }
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.contains("open-file limit 128 leaves room for"),
        "the lowered budget is logged: {text}"
    );
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn the_log_cannot_be_forged_and_never_holds_a_link_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("server.log");
    let served = serve_real(&dir.path().join("data"), &log, 1024);
    let token = "0123456789abcdef0123456789abcdef";
    for path in [
        "/t/default/x%0a2026-12-01T00:00:00.000Z%20ERROR%20forged".to_string(),
        "/t/default/nul%00byte%0d".to_string(),
        format!("/t/default//reset/{token}"),
        format!("//t/default/reset/{token}/"),
        format!("/t/default/setup//{token}"),
    ] {
        let r = Client::new(served.addr).get(&path);
        assert!(r.status < 500, "{path}: {}", r.status);
    }
    drop(served);
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(!text.contains('\0'), "no NUL reaches the log");
    assert!(
        !text.contains(token),
        "a link token reached the log: {text}"
    );
    for line in text.lines() {
        assert!(
            line.starts_with("20") && line.split(' ').nth(1).is_some(),
            "every line is one of ours: {line:?}"
        );
        assert!(
            !line.starts_with("2026-12-01T00:00:00.000Z"),
            "forged line: {line}"
        );
    }
    assert!(
        text.contains("x\\n2026-12-01T00:00:00.000Z ERROR forged"),
        "{text}"
    );
    assert!(text.contains("/t/default/reset/…"), "{text}");
}
