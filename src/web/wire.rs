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

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Head bytes accepted: request line and headers together.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;
pub const MAX_HEADERS: usize = 100;
/// The slowest average pace at which a body or an answer may travel, past the client timeout.
pub const MIN_RATE: u64 = 4 * 1024;
/// The longest a read waits before the connection looks at the server's state again.
const SLICE: Duration = Duration::from_millis(250);
const MAX_CHUNK_LINE: usize = 4096;

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

/// How a request's body is delimited.
#[derive(Debug, PartialEq, Eq)]
pub enum Framing {
    Length(u64),
    Chunked,
}

/// What the body turned out to be.
pub enum Body {
    Read(Vec<u8>),
    /// Larger than the limit: not read (or not all of it), so the connection must close.
    TooLarge,
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

    /// Reads the body that `head` announces, up to `limit` bytes. A client that asked to be
    /// told to go on (`Expect: 100-continue`) is told so only when the body fits.
    pub fn read_body(
        &mut self,
        head: &Head,
        limit: usize,
        stop: &dyn Fn() -> bool,
    ) -> Refused<Body> {
        let Some(framing) = framing(head)? else {
            return Ok(Body::Read(Vec::new()));
        };
        if let Framing::Length(n) = framing
            && n > limit as u64
        {
            return Ok(Body::TooLarge);
        }
        if let Some(expect) = head.header("Expect") {
            if !expect.trim().eq_ignore_ascii_case("100-continue") {
                return Err(Refusal::Answer(417, "only 100-continue is understood"));
            }
            if head.minor_version == 1 && self.buf.is_empty() {
                self.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                    .map_err(|_| Refusal::Silent)?;
            }
        }
        let mut reader = BodyReader {
            conn: self,
            started: Instant::now(),
            received: 0,
            stop,
        };
        match framing {
            Framing::Length(n) => reader.exactly(n as usize).map(Body::Read),
            Framing::Chunked => reader.chunked(limit),
        }
    }

    /// Writes all of `bytes` at no less than `MIN_RATE` past the client timeout.
    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        let deadline = Instant::now() + self.timeout + pace(bytes.len());
        self.stream.set_write_timeout(Some(self.timeout))?;
        for piece in bytes.chunks(64 * 1024) {
            if Instant::now() > deadline {
                return Err(io::ErrorKind::TimedOut.into());
            }
            (&*self.stream).write_all(piece)?;
        }
        Ok(())
    }

    /// Writes an answer: its head (with `Date`, `Content-Length` and, when closing,
    /// `Connection: close`) and, unless `head_only`, its body.
    pub fn answer(&mut self, answer: &Answer, head_only: bool, close: bool) -> io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
        out.push_str(&format!("Date: {}\r\n", http_date()));
        for (name, value) in &answer.headers {
            let framing_header = ["Content-Length", "Transfer-Encoding", "Connection", "Date"]
                .iter()
                .any(|h| name.eq_ignore_ascii_case(h));
            if framing_header || !header_safe(name) || !header_safe(value) {
                continue;
            }
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        let bodiless = answer.status == 204 || answer.status == 304;
        if !bodiless {
            out.push_str(&format!("Content-Length: {}\r\n", answer.body.len()));
        }
        if close {
            out.push_str("Connection: close\r\n");
        }
        out.push_str("\r\n");
        self.write_all(out.as_bytes())?;
        if !head_only && !bodiless {
            self.write_all(&answer.body)?;
        }
        (&*self.stream).flush()
    }

    /// Closes without waiting on the client at all: for the acceptor, which must not stall.
    pub fn close_now(self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
    }

    /// Stops sending and lets the client read what was sent before the socket closes.
    pub fn close(self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        drain_briefly(self.stream);
    }
}

/// After a refusal the client may still be sending; closing with unread bytes would reset the
/// connection and could destroy the answer in flight. Read a little, briefly, then close.
fn drain_briefly(stream: Arc<TcpStream>) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut sink = [0u8; 8192];
    for _ in 0..8 {
        match (&*stream).read(&mut sink) {
            Ok(n) if n > 0 => {}
            _ => break,
        }
    }
}

/// An answer ready to be written.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// A short plain-text answer of the wire layer itself.
    pub fn plain(status: u16, message: &str) -> Answer {
        Answer {
            status,
            headers: vec![
                ("Content-Type".into(), "text/plain; charset=utf-8".into()),
                ("X-Content-Type-Options".into(), "nosniff".into()),
                ("Cache-Control".into(), "no-store".into()),
            ],
            body: format!("{message}\n").into_bytes(),
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

/// The body's framing: none, a length, or chunks (RFC 9112, 6.3).
fn framing(head: &Head) -> Refused<Option<Framing>> {
    let lengths: Vec<&str> = head
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .collect();
    let coding = head.header("Transfer-Encoding");
    if let Some(coding) = coding {
        if !lengths.is_empty() {
            return Err(Refusal::Answer(
                400,
                "both Content-Length and Transfer-Encoding",
            ));
        }
        let last = coding.rsplit(',').next().unwrap_or("").trim();
        if !last.eq_ignore_ascii_case("chunked") || coding.contains(',') {
            return Err(Refusal::Answer(
                501,
                "only chunked transfer coding is understood",
            ));
        }
        return Ok(Some(Framing::Chunked));
    }
    let Some(first) = lengths.first() else {
        return Ok(None);
    };
    let valid = |v: &str| !v.is_empty() && v.len() <= 19 && v.bytes().all(|b| b.is_ascii_digit());
    if !lengths.iter().all(|v| valid(v) && v == first) {
        return Err(Refusal::Answer(400, "invalid Content-Length"));
    }
    let n: u64 = first
        .parse()
        .map_err(|_| Refusal::Answer(400, "invalid Content-Length"))?;
    Ok((n > 0).then_some(Framing::Length(n)))
}

/// Reads a body off a connection, keeping the pace in check.
struct BodyReader<'a> {
    conn: &'a mut Conn,
    started: Instant,
    received: usize,
    stop: &'a dyn Fn() -> bool,
}

impl BodyReader<'_> {
    /// Makes sure at least `n` unread bytes are in the buffer.
    fn want(&mut self, n: usize) -> Refused<()> {
        while self.conn.buf.len() < n {
            let now = Instant::now();
            // Past the first timeout, the body must keep up an average of MIN_RATE.
            let paced = self.started + self.conn.timeout + pace(self.received);
            let deadline = paced.min(now + self.conn.timeout);
            let before = self.conn.buf.len();
            match self.conn.fill(deadline, self.stop) {
                Ok(true) => self.received += self.conn.buf.len() - before,
                Ok(false) | Err(Timeout::Stopped) => return Err(Refusal::Silent),
                Err(Timeout::Expired) => return Err(TIMED_OUT),
            }
        }
        Ok(())
    }

    fn take(&mut self, n: usize) -> Vec<u8> {
        self.conn.buf.drain(..n).collect()
    }

    fn exactly(&mut self, n: usize) -> Refused<Vec<u8>> {
        self.want(n)?;
        Ok(self.take(n))
    }

    /// One line of chunk framing, without its line end.
    fn line(&mut self) -> Refused<Vec<u8>> {
        let mut have = 1;
        loop {
            self.want(have)?;
            if let Some(at) = self.conn.buf.iter().position(|b| *b == b'\n') {
                let mut line = self.take(at + 1);
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.conn.buf.len() > MAX_CHUNK_LINE {
                return Err(Refusal::Answer(400, "invalid chunk size"));
            }
            have = self.conn.buf.len() + 1;
        }
    }

    fn chunked(&mut self, limit: usize) -> Refused<Body> {
        let mut body = Vec::new();
        loop {
            let line = self.line()?;
            let size = chunk_size(&line).ok_or(Refusal::Answer(400, "invalid chunk size"))?;
            if size == 0 {
                break;
            }
            if body.len() as u64 + size > limit as u64 {
                return Ok(Body::TooLarge);
            }
            body.extend(self.exactly(size as usize)?);
            if !self.line()?.is_empty() {
                return Err(Refusal::Answer(400, "a chunk is longer than its size"));
            }
        }
        // Trailer fields are read and dropped, up to the empty line.
        let mut trailer = 0;
        loop {
            let line = self.line()?;
            if line.is_empty() {
                return Ok(Body::Read(body));
            }
            trailer += line.len();
            if trailer > MAX_HEAD_BYTES {
                return Err(HEAD_TOO_LARGE);
            }
        }
    }
}

/// The size of a chunk from its line: hex digits, then optional `;extensions`.
fn chunk_size(line: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(line).ok()?;
    let digits = text.split(';').next()?.trim_end_matches([' ', '\t']);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

/// A header name or value may go on the wire as it is: no line breaks or other controls.
fn header_safe(text: &str) -> bool {
    !text.bytes().any(|b| b < 0x20 && b != b'\t' || b == 0x7f)
}

fn http_date() -> String {
    chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        417 => "Expectation Failed",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        _ => "",
    }
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

    #[test]
    fn framing_follows_rfc_9112() {
        let with = |headers: &str| {
            framing(&head(&format!("POST / HTTP/1.1\r\n{headers}\r\n")).expect("head"))
        };
        assert_eq!(with(""), Ok(None));
        assert_eq!(with("Content-Length: 0\r\n"), Ok(None));
        assert_eq!(
            with("Content-Length: 12\r\n"),
            Ok(Some(Framing::Length(12)))
        );
        assert_eq!(
            with("Content-Length: 12, 12\r\n"),
            Ok(Some(Framing::Length(12)))
        );
        assert!(with("Content-Length: 12\r\nContent-Length: 13\r\n").is_err());
        assert!(with("Content-Length: -1\r\n").is_err());
        assert!(with("Content-Length: 1e3\r\n").is_err());
        assert_eq!(
            with("Transfer-Encoding: chunked\r\n"),
            Ok(Some(Framing::Chunked))
        );
        assert!(matches!(
            with("Transfer-Encoding: gzip\r\n"),
            Err(Refusal::Answer(501, _))
        ));
        assert!(matches!(
            with("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"),
            Err(Refusal::Answer(400, _))
        ));
    }

    #[test]
    fn chunk_sizes_are_hex_with_optional_extensions() {
        assert_eq!(chunk_size(b"1a"), Some(26));
        assert_eq!(chunk_size(b"0"), Some(0));
        assert_eq!(chunk_size(b"10;name=value"), Some(16));
        assert_eq!(chunk_size(b"zz"), None);
        assert_eq!(chunk_size(b""), None);
        assert_eq!(chunk_size(b"-1"), None);
        assert_eq!(chunk_size(b"ffffffffffffffffff"), None);
    }

    #[test]
    fn header_values_with_line_breaks_never_reach_the_wire() {
        assert!(header_safe("text/html; charset=utf-8"));
        assert!(!header_safe("a\r\nSet-Cookie: x=1"));
        assert!(!header_safe("a\0b"));
    }
}
