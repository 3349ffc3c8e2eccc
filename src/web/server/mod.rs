//! The HTTP server: our own listener and connection layer (`wire`), with rouille's request and
//! response types for the handlers.
//!
//! tiny_http could not be made to hold against hostile clients: it reads bodies on the worker
//! with no time limit (four stalled uploads froze every worker), accepts headers of any size,
//! and its accept thread panics when descriptors run out, after which nothing listens. So:
//! - one acceptor thread takes connections, never panics on `accept` errors (it backs off and
//!   keeps listening), and keeps at most `max_connections` open: past it the longest-idle
//!   connection is closed, or, when none is idle, the newcomer gets a 503;
//! - each connection has a small thread of its own that reads whole requests under the limits
//!   of `wire` (time, head size, header count, body size);
//! - a complete request is answered on its connection's thread once it holds one of
//!   `http_workers` permits, so at most that many handlers run at once and a slow client holds
//!   its own thread but never a permit (handing requests to a pool of workers instead cost
//!   ~10% of throughput in two extra thread switches a request);
//! - the listener sets TCP_NODELAY (Linux copies it to accepted sockets): without it a body over
//!   ~1 KiB waits ~44 ms for the client's delayed ACK.
//!
//! Stopping: no new connections; each connection finishes the request in hand and closes.

mod budget;

use super::wire::{Answer, Body, Conn, Refusal};
use crate::app::App;
use crate::error::{Error, Result};
use budget::connection_budget;
use socket2::{Domain, Socket, Type};
use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Handlers run on connection threads: the stack is what the HTTP workers had (only the
/// pages a thread touches take memory).
const CONN_STACK: usize = 2 * 1024 * 1024;

pub struct HttpServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: JoinHandle<()>,
}

/// What the acceptor, the connections and `stop` share.
struct Shared {
    stopping: AtomicBool,
    started: Instant,
    max_connections: usize,
    open: Mutex<HashMap<u64, Arc<ConnState>>>,
    closed: Condvar,
    next_id: AtomicU64,
    /// Handlers that may run now: `http_workers` at most.
    permits: Mutex<usize>,
    permit_freed: Condvar,
}

impl Shared {
    /// Waits for a handler permit; it is given back when the guard drops.
    fn permit(&self) -> Permit<'_> {
        let mut free = self.permits.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self
                .permit_freed
                .wait(free)
                .unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        Permit(self)
    }
}

struct Permit<'a>(&'a Shared);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.permits.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.0.permit_freed.notify_one();
    }
}

/// One open connection as others see it.
struct ConnState {
    /// Milliseconds since the server started at which the connection last became idle
    /// (waiting for a request); 0 while a request is on its way or being answered.
    idle_since: AtomicU64,
    /// Set when the connection is taken back; its socket is shut at once.
    evict: AtomicBool,
    stream: Arc<TcpStream>,
}

impl ConnState {
    /// Takes the connection back: its thread's read returns at once and it closes.
    fn evict(&self) {
        self.evict.store(true, Ordering::Relaxed);
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

pub fn start(app: Arc<App>) -> Result<HttpServer> {
    let listen = app.config.listen;
    let listener =
        bind(listen).map_err(|e| Error::internal(&format!("cannot listen on {listen}"), e))?;
    let addr = listener.local_addr()?;
    let max_connections = connection_budget(&app);
    let shared = Arc::new(Shared {
        stopping: AtomicBool::new(false),
        started: Instant::now(),
        max_connections,
        open: Mutex::new(HashMap::new()),
        closed: Condvar::new(),
        next_id: AtomicU64::new(1),
        permits: Mutex::new(app.config.http_workers),
        permit_freed: Condvar::new(),
    });
    let acceptor = {
        let (app, shared) = (app.clone(), shared.clone());
        std::thread::Builder::new()
            .name("onebox-accept".into())
            .spawn(move || accept_loop(&app, &shared, &listener))
            .map_err(|e| Error::internal("starting the HTTP acceptor", e))?
    };
    Ok(HttpServer {
        addr,
        shared,
        acceptor,
    })
}

impl HttpServer {
    /// Stops taking connections, lets each finish the request in hand, and waits for them.
    pub fn stop(self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // The acceptor sleeps in `accept`: a connection of our own wakes it.
        let _ = TcpStream::connect_timeout(&wake_address(self.addr), Duration::from_secs(1));
        let _ = self.acceptor.join();
        let open = self.shared.open.lock().unwrap_or_else(|p| p.into_inner());
        let _ = self
            .shared
            .closed
            .wait_timeout_while(open, Duration::from_secs(30), |open| !open.is_empty());
    }
}

fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn wake_address(addr: SocketAddr) -> SocketAddr {
    let mut to = addr;
    if to.ip().is_unspecified() {
        to.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    to
}

fn accept_loop(app: &Arc<App>, shared: &Arc<Shared>, listener: &TcpListener) {
    let mut backoff = Duration::from_millis(10);
    let mut last_complaint: Option<Instant> = None;
    while !shared.stopping.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => {
                backoff = Duration::from_millis(10);
                if shared.stopping.load(Ordering::SeqCst) {
                    break;
                }
                admit(app, shared, stream, peer);
            }
            Err(e) => {
                // Out of descriptors or memory: the pending connections wait in the backlog
                // until some close. Other errors concern one connection only.
                let starved = matches!(e.raw_os_error(), Some(23 | 24 | 12 | 105));
                if last_complaint.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
                    crate::error!("http accept failed (backing off): {e}");
                    last_complaint = Some(Instant::now());
                }
                app.metrics.count_accept_error();
                if starved {
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(Duration::from_millis(250));
                } else {
                    // Never spin, whatever the error.
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
    }
}

/// Takes a new connection in, making room by closing the longest-idle one when full.
fn admit(app: &Arc<App>, shared: &Arc<Shared>, stream: TcpStream, peer: SocketAddr) {
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    // A new connection has sent nothing yet: it is idle from the start.
    let stream = Arc::new(stream);
    let state = Arc::new(ConnState {
        idle_since: AtomicU64::new(now_ms(shared)),
        evict: AtomicBool::new(false),
        stream: stream.clone(),
    });
    {
        let mut open = shared.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.len() >= shared.max_connections {
            let idlest = open
                .values()
                .filter(|c| !c.evict.load(Ordering::Relaxed))
                .filter_map(|c| {
                    let since = c.idle_since.load(Ordering::Relaxed);
                    (since > 0).then_some((since, c))
                })
                .min_by_key(|(since, _)| *since);
            match idlest {
                Some((_, c)) => c.evict(),
                None => {
                    drop(open);
                    app.metrics.count_refused_connection();
                    refuse(stream);
                    return;
                }
            }
        }
        open.insert(id, state.clone());
        app.metrics.set_open_connections(open.len());
    }
    let (app_for_thread, shared_for_thread) = (app.clone(), shared.clone());
    let spawned = std::thread::Builder::new()
        .name("onebox-conn".into())
        .stack_size(CONN_STACK)
        .spawn(move || {
            let _open = OpenGuard {
                shared: &shared_for_thread,
                app: &app_for_thread,
                id,
            };
            serve_connection(&app_for_thread, &shared_for_thread, &state, stream, peer);
        });
    if spawned.is_err() {
        let mut open = shared.open.lock().unwrap_or_else(|p| p.into_inner());
        open.remove(&id);
        app.metrics.set_open_connections(open.len());
    }
}

/// Milliseconds since the server started, never 0 (which means busy).
fn now_ms(shared: &Shared) -> u64 {
    (shared.started.elapsed().as_millis() as u64).max(1)
}

/// Removes a connection from the open set when its thread ends, however it ends.
struct OpenGuard<'a> {
    shared: &'a Shared,
    app: &'a App,
    id: u64,
}

impl Drop for OpenGuard<'_> {
    fn drop(&mut self) {
        let mut open = self.shared.open.lock().unwrap_or_else(|p| p.into_inner());
        open.remove(&self.id);
        self.app.metrics.set_open_connections(open.len());
        self.shared.closed.notify_all();
    }
}

/// Tells a client past the connection limit to come back, without waiting on it: a new
/// socket's send buffer is empty, so the short answer goes out at once.
fn refuse(stream: Arc<TcpStream>) {
    let mut conn = Conn::new(stream, Duration::from_millis(50));
    let mut answer = Answer::plain(503, "The server is busy; try again in a moment.");
    answer.headers.push(("Retry-After".into(), "1".into()));
    let _ = conn.answer(&answer, false, true);
    conn.close_now();
}

fn serve_connection(
    app: &App,
    shared: &Shared,
    state: &ConnState,
    stream: Arc<TcpStream>,
    peer: SocketAddr,
) {
    let mut conn = Conn::new(stream, app.config.client_timeout);
    let stop = || shared.stopping.load(Ordering::Relaxed) || state.evict.load(Ordering::Relaxed);
    loop {
        state.idle_since.store(now_ms(shared), Ordering::Relaxed);
        if conn.await_request(&stop).is_err() {
            break;
        }
        state.idle_since.store(0, Ordering::Relaxed);
        let started = Instant::now();
        let head = match conn.read_head(&stop) {
            Ok(head) => head,
            Err(refusal) => {
                refuse_request(app, &mut conn, refusal, None, started);
                break;
            }
        };
        let body = match conn.read_body(&head, app.config.max_body_bytes, &stop) {
            Ok(body) => body,
            Err(refusal) => {
                refuse_request(app, &mut conn, refusal, Some(&head), started);
                break;
            }
        };
        let (body, body_check, mut close) = match body {
            Body::Read(bytes) => (bytes, Ok(()), !head.keep_alive()),
            Body::TooLarge => (
                Vec::new(),
                Err(Error::TooLarge {
                    limit: app.config.max_body_bytes,
                }),
                true,
            ),
        };
        let head_only = head.method == "HEAD";
        let request =
            rouille::Request::fake_http_from(peer, head.method, head.target, head.headers, body);
        let answer = {
            let _permit = shared.permit();
            serve_one(app, &request, body_check)
        };
        close |= shared.stopping.load(Ordering::Relaxed);
        if conn.answer(&answer, head_only, close).is_err() || close {
            break;
        }
    }
    conn.close();
}

/// Answers (or not) a request the wire layer refused, and logs it like any other.
fn refuse_request(
    app: &App,
    conn: &mut Conn,
    refusal: Refusal,
    head: Option<&super::wire::Head>,
    started: Instant,
) {
    let Refusal::Answer(status, reason) = refusal else {
        return;
    };
    let _ = conn.answer(&Answer::plain(status, reason), false, true);
    let method = head.map_or("-", |h| h.method.as_str());
    let path = head.map_or("-".to_string(), |h| {
        let path = h.target.split('?').next().unwrap_or("");
        crate::web::loggable::loggable_path(
            &percent_encoding::percent_decode_str(path).decode_utf8_lossy(),
        )
    });
    crate::web::log_refused(app, method, &path, status, reason, started.elapsed());
}

/// A worker's part: the handler's answer with its body in memory.
fn serve_one(app: &App, request: &rouille::Request, body_check: Result<()>) -> Answer {
    let response = catch_unwind(AssertUnwindSafe(|| {
        crate::web::handle(app, request, body_check)
    }))
    .unwrap_or_else(|_| {
        crate::error!(
            "handler panicked method={} path={}",
            crate::log::escape(request.method()),
            crate::web::loggable::loggable_path(&request.url())
        );
        rouille::Response::text("Internal error").with_status_code(500)
    });
    let (mut data, _) = response.data.into_reader_and_size();
    let mut body = Vec::new();
    if let Err(e) = std::io::Read::read_to_end(&mut data, &mut body) {
        crate::error!("reading a response body failed: {e}");
    }
    Answer {
        status: response.status_code,
        headers: response
            .headers
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        body,
    }
}
