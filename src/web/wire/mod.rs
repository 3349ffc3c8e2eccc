//! HTTP/1.1 on one connection: a request's head and body read under limits of time and size,
//! and an answer written back. Parsing is httparse's; what is ours is the framing (length,
//! chunks, `Expect`), the limits, and the answer's head.
//!
//! Every read waits at most a short slice, so a connection notices within that slice when the
//! server stops or wants the connection back. The limits:
//! - a request's head must arrive within the client timeout and fit `MAX_HEAD_BYTES` and
//!   `MAX_HEADERS` (431 otherwise);
//! - a body may pause at most the client timeout and must average `MIN_RATE` bytes a second
//!   (408 otherwise);
//! - an answer is written at the same pace, or the connection is dropped.

mod answer;
mod body;

pub use answer::Answer;
pub use body::Body;

use std::io::{self, Read};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Head bytes accepted: request line and headers together.
const MAX_HEAD_BYTES: usize = 32 * 1024;
const MAX_HEADERS: usize = 100;
/// The slowest average pace at which a body or an answer may travel, past the client timeout.
const MIN_RATE: u64 = 4 * 1024;
/// The longest a read waits before the connection looks at the server's state again.
const SLICE: Duration = Duration::from_millis(250);

/// Why a connection ends before a request is ready: some deserve an answer, some silence.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The client closed, idled out between requests, or the server wants the connection back.
    Silent,
    /// Answer with this status and reason, then close.
    Answer(u16, &'static str),
}

type Refused<T> = Result<T, Refusal>;

/// A request's head as read off the wire.
#[derive(Debug)]
pub struct Head {
    pub method: String,
    /// The path and query, as sent.
    pub target: String,
    pub minor_version: u8,
    pub headers: Vec<(String, String)>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether the connection may carry another request after this one.
    pub fn keep_alive(&self) -> bool {
        if self.minor_version == 0 {
            self.has_token("Connection", "keep-alive")
        } else {
            !self.has_token("Connection", "close")
        }
    }
}

/// One client connection: its socket (shared, so the server can shut it from outside) and the
/// bytes received but not yet used.
pub struct Conn {
    stream: Arc<TcpStream>,
    buf: Vec<u8>,
    timeout: Duration,
}

impl Conn {
    pub fn new(stream: Arc<TcpStream>, timeout: Duration) -> Conn {
        Conn {
            stream,
            buf: Vec::new(),
            timeout,
        }
    }

    /// Reads more bytes by `deadline`; `Ok(false)` when the client closed.
    fn fill(&mut self, deadline: Instant, stop: &dyn Fn() -> bool) -> Result<bool, Timeout> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            if stop() {
                return Err(Timeout::Stopped);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Timeout::Expired);
            }
            let wait = (deadline - now).min(SLICE);
            if self.stream.set_read_timeout(Some(wait)).is_err() {
                return Ok(false);
            }
            match (&*self.stream).read(&mut chunk) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(_) => return Ok(false),
            }
        }
    }

    /// Waits for the first byte of the next request for up to the client timeout, calling
    /// `stop` between slices. Leading empty lines are skipped (RFC 9112, 2.2).
    pub fn await_request(&mut self, stop: &dyn Fn() -> bool) -> Refused<()> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let skip = self
                .buf
                .iter()
                .take_while(|b| **b == b'\r' || **b == b'\n')
                .count();
            self.buf.drain(..skip);
            if !self.buf.is_empty() {
                return Ok(());
            }
            match self.fill(deadline, stop) {
                Ok(true) => {}
                Ok(false) | Err(_) => return Err(Refusal::Silent),
            }
        }
    }

    /// Reads a request's head; call after `await_request`.
    pub fn read_head(&mut self, stop: &dyn Fn() -> bool) -> Refused<Head> {
        let deadline = Instant::now() + self.timeout;
        let mut searched = 0;
        loop {
            if let Some(end) = head_end(&self.buf, searched) {
                if end > MAX_HEAD_BYTES {
                    return Err(HEAD_TOO_LARGE);
                }
                let head = parse_head(&self.buf[..end])?;
                self.buf.drain(..end);
                return Ok(head);
            }
            if self.buf.len() > MAX_HEAD_BYTES {
                return Err(HEAD_TOO_LARGE);
            }
            // The next search starts where this one could not yet see an end.
            searched = self.buf.len().saturating_sub(3);
            match self.fill(deadline, stop) {
                Ok(true) => {}
                Ok(false) | Err(Timeout::Stopped) => return Err(Refusal::Silent),
                Err(Timeout::Expired) => return Err(TIMED_OUT),
            }
        }
    }
}

const HEAD_TOO_LARGE: Refusal = Refusal::Answer(431, "request header fields too large");
const TIMED_OUT: Refusal = Refusal::Answer(408, "the request did not arrive in time");

enum Timeout {
    Expired,
    Stopped,
}

/// The extra time a transfer of `bytes` may take at the slowest accepted pace.
fn pace(bytes: usize) -> Duration {
    Duration::from_secs(bytes as u64 / MIN_RATE)
}

/// Where the head ends (just past its empty line), searching from `from`.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < buf.len() {
        if buf[i] == b'\n' {
            if buf.get(i + 1) == Some(&b'\n') {
                return Some(i + 2);
            }
            if buf.get(i + 1) == Some(&b'\r') && buf.get(i + 2) == Some(&b'\n') {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

fn parse_head(bytes: &[u8]) -> Refused<Head> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(Refusal::Answer(400, "malformed request")),
        Err(httparse::Error::TooManyHeaders) => return Err(HEAD_TOO_LARGE),
        Err(httparse::Error::Version) if names_http(bytes) => {
            return Err(Refusal::Answer(
                505,
                "only HTTP/1.0 and HTTP/1.1 are served",
            ));
        }
        Err(_) => return Err(Refusal::Answer(400, "malformed request")),
    }
    let method = request.method.unwrap_or_default().to_string();
    let target = origin_form(request.path.unwrap_or_default())
        .ok_or(Refusal::Answer(400, "malformed request target"))?;
    let headers = request
        .headers
        .iter()
        .map(|h| {
            std::str::from_utf8(h.value)
                .map(|v| (h.name.to_string(), v.trim().to_string()))
                .map_err(|_| Refusal::Answer(400, "a header value is not UTF-8"))
        })
        .collect::<Refused<Vec<_>>>()?;
    Ok(Head {
        method,
        target,
        minor_version: request.version.unwrap_or(1),
        headers,
    })
}

/// Whether the request line ends in an HTTP version at all (then a wrong one is a 505).
fn names_http(bytes: &[u8]) -> bool {
    let line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    line.split(|b| *b == b' ')
        .nth(2)
        .is_some_and(|v| v.starts_with(b"HTTP/"))
}

/// The path and query of a request target; an absolute URL loses its scheme and host.
fn origin_form(target: &str) -> Option<String> {
    if target.starts_with('/') {
        return Some(target.to_string());
    }
    let rest = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))?;
    Some(
        rest.find('/')
            .map_or("/".into(), |at| rest[at..].to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Refused<Head> {
        parse_head(text.as_bytes())
    }

    #[test]
    fn a_head_ends_at_its_empty_line_with_either_line_end() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nrest", 0), Some(24));
        assert_eq!(head_end(b"GET / HTTP/1.1\nA: b\n\nrest", 0), Some(21));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n", 0), None);
        // A search that resumes finds an end that straddles the last read.
        let buf = b"GET / HTTP/1.1\r\n\r\n";
        assert_eq!(head_end(buf, buf.len() - 4), Some(buf.len()));
    }

    #[test]
    fn heads_are_parsed_or_refused_with_the_right_status() {
        let h = head("POST /t/a/x?y=1 HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n")
            .expect("valid");
        assert_eq!(
            (h.method.as_str(), h.target.as_str()),
            ("POST", "/t/a/x?y=1")
        );
        assert!(h.keep_alive());
        assert!(!head("GET / HTTP/1.0\r\n\r\n").expect("valid").keep_alive());
        assert!(
            !head("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")
                .expect("valid")
                .keep_alive()
        );
        assert_eq!(
            head("GET http://x.example/p?q HTTP/1.1\r\n\r\n")
                .expect("valid")
                .target,
            "/p?q"
        );
        assert_eq!(
            head("GET / HTTP/2.0\r\n\r\n").err(),
            Some(Refusal::Answer(
                505,
                "only HTTP/1.0 and HTTP/1.1 are served"
            ))
        );
        assert!(matches!(
            head("GET nowhere HTTP/1.1\r\n\r\n"),
            Err(Refusal::Answer(400, _))
        ));
        assert!(matches!(
            head("G\0T / HTTP/1.1\r\n\r\n"),
            Err(Refusal::Answer(400, _))
        ));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(head(&many).err(), Some(HEAD_TOO_LARGE));
    }
}
