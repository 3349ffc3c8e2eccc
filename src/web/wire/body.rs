//! A request's body: its framing (none, a length, or chunks), read under the pace limits of
//! the connection.

use super::{
    Conn, HEAD_TOO_LARGE, Head, MAX_HEAD_BYTES, Refusal, Refused, TIMED_OUT, Timeout, pace,
};
use std::time::Instant;

const MAX_CHUNK_LINE: usize = 4096;

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

impl Conn {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Head {
        super::super::parse_head(text.as_bytes()).expect("head")
    }

    #[test]
    fn framing_follows_rfc_9112() {
        let with = |headers: &str| framing(&head(&format!("POST / HTTP/1.1\r\n{headers}\r\n")));
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
}
