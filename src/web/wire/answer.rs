//! An answer on the wire: its head (status line, `Date`, `Content-Length`, `Connection`) and
//! body, written at no less than the slowest accepted pace.

use super::{Conn, pace};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

impl Conn {
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

    #[test]
    fn header_values_with_line_breaks_never_reach_the_wire() {
        assert!(header_safe("text/html; charset=utf-8"));
        assert!(!header_safe("a\r\nSet-Cookie: x=1"));
        assert!(!header_safe("a\0b"));
    }
}
