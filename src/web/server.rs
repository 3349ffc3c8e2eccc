//! The HTTP server: tiny_http on a listener we make ourselves, with a fixed pool of workers.
//!
//! rouille's own `Server` hides its socket, and tiny_http writes headers and body in two
//! sends without TCP_NODELAY, so every response over ~1 KiB would wait ~44 ms for the
//! client's delayed ACK. Making the listener here lets us set TCP_NODELAY (Linux copies it to
//! accepted sockets), bound the workers, refuse oversized bodies before reading them, and
//! stop cleanly: workers finish the request in hand, then exit.

use crate::app::App;
use crate::error::{Error, Result};
use socket2::{Domain, Socket, Type};
use std::io::Read;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct HttpServer {
    pub addr: SocketAddr,
    server: Arc<tiny_http::Server>,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

pub fn start(app: Arc<App>) -> Result<HttpServer> {
    let listen = app.config.listen;
    let listener =
        bind(listen).map_err(|e| Error::internal(&format!("cannot listen on {listen}"), e))?;
    let addr = listener.local_addr()?;
    let server = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| Error::internal("starting the HTTP server", e))?,
    );
    let stopping = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for n in 0..app.config.http_workers {
        let (app, server, stopping) = (app.clone(), server.clone(), stopping.clone());
        let worker = std::thread::Builder::new()
            .name(format!("onebox-http-{n}"))
            .spawn(move || {
                while !stopping.load(Ordering::SeqCst) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(request)) => serve_one(&app, request),
                        Ok(None) => {}
                        Err(e) => {
                            crate::error!("http accept failed: {e}");
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    }
                }
            })
            .map_err(|e| Error::internal("starting an HTTP worker", e))?;
        workers.push(worker);
    }
    Ok(HttpServer {
        addr,
        server,
        stopping,
        workers,
    })
}

impl HttpServer {
    /// Stops taking requests, lets every worker finish the one in hand, and waits for them.
    pub fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.server.unblock();
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

fn bind(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

fn serve_one(app: &App, mut request: tiny_http::Request) {
    let limit = app.config.max_body_bytes;
    let mut body = Vec::new();
    let mut too_large = request.body_length().is_some_and(|n| n > limit);
    if !too_large {
        let read = request
            .as_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut body);
        too_large = body.len() > limit;
        if let Err(e) = read {
            crate::warn!("reading a request body failed: {e}");
            return;
        }
    }
    let headers = request
        .headers()
        .iter()
        .map(|h| (h.field.to_string(), h.value.to_string()))
        .collect();
    let remote = request
        .remote_addr()
        .copied()
        .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 0)));
    let incoming = rouille::Request::fake_http_from(
        remote,
        request.method().as_str(),
        request.url(),
        headers,
        if too_large { Vec::new() } else { body },
    );
    let body_check = if too_large {
        Err(Error::TooLarge { limit })
    } else {
        Ok(())
    };
    let response = catch_unwind(AssertUnwindSafe(|| {
        crate::web::handle(app, &incoming, body_check)
    }))
    .unwrap_or_else(|_| {
        crate::error!(
            "handler panicked method={} path={}",
            incoming.method(),
            crate::web::loggable_path(&incoming.url())
        );
        rouille::Response::text("Internal error").with_status_code(500)
    });
    let (data, length) = response.data.into_reader_and_size();
    let mut out = tiny_http::Response::empty(response.status_code).with_data(data, length);
    for (name, value) in &response.headers {
        if name.eq_ignore_ascii_case("Content-Length") {
            continue;
        }
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            out.add_header(header);
        }
    }
    // A client that went away mid-response is not our error.
    let _ = request.respond(out);
}
