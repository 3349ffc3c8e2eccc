//! A small IMAP client (RFC 3501) over TLS (rustls), blocking, for fetching a mailbox's new
//! mail: log in, select the mailbox (its UIDVALIDITY and UIDNEXT), list the messages after
//! the last UID seen with their sizes, fetch each whole (`BODY.PEEK[]`, so nothing is marked
//! read), log out. It is written here rather than taken from a crate: the one blocking IMAP
//! crate with rustls is an unmaintained alpha, and this subset is a page of code.
//!
//! Responses are read as "logical lines": text with the literals (`{n}` and then n bytes) that
//! it announces taken out whole, so a message's bytes are never read as protocol.

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

/// The largest literal read whole; a message above the caller's cap is never fetched, this
/// guards against a server that announces more than it listed.
const MAX_LITERAL: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImapError {
    #[error("cannot reach the server: {0}")]
    Io(String),
    #[error("TLS: {0}")]
    Tls(String),
    /// The server answered NO or BAD (a wrong password, an unknown mailbox).
    #[error("the server refused: {0}")]
    Refused(String),
    #[error("the server's answer cannot be read: {0}")]
    Protocol(String),
}

type Result<T> = std::result::Result<T, ImapError>;

impl From<std::io::Error> for ImapError {
    fn from(e: std::io::Error) -> Self {
        ImapError::Io(e.to_string())
    }
}

/// What `SELECT` says of a mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mailbox {
    pub uid_validity: u32,
    pub uid_next: u32,
    pub exists: u32,
}

/// One response line with the literals it carried.
#[derive(Debug, Default, PartialEq, Eq)]
struct Logical {
    text: String,
    literals: Vec<Vec<u8>>,
}

/// The trust roots: the public web's, and a private CA's certificates (PEM) if given.
pub fn roots(ca_pem: Option<&str>) -> Result<RootCertStore> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = ca_pem.filter(|p| !p.trim().is_empty()) {
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|e| ImapError::Tls(format!("the CA certificate: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| ImapError::Tls(format!("the CA certificate: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(ImapError::Tls(
                "the CA certificate holds no certificate".into(),
            ));
        }
    }
    Ok(roots)
}

pub struct Imap {
    stream: BufReader<StreamOwned<ClientConnection, TcpStream>>,
    tag: u32,
    timeout: Duration,
}

/// How an `idle` wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woken {
    /// The mailbox has a new message.
    NewMail,
    /// Nothing came in the time given.
    Quiet,
    /// The caller asked to stop.
    Stopped,
}

impl Imap {
    /// Connects with implicit TLS (port 993's way) and reads the greeting.
    pub fn connect(host: &str, port: u16, roots: RootCertStore, timeout: Duration) -> Result<Imap> {
        let addr = std::net::ToSocketAddrs::to_socket_addrs(&(host, port))?
            .next()
            .ok_or_else(|| ImapError::Io(format!("{host} has no address")))?;
        let tcp = TcpStream::connect_timeout(&addr, timeout)?;
        tcp.set_read_timeout(Some(timeout))?;
        tcp.set_write_timeout(Some(timeout))?;
        let config = ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from(host.to_string())
            .map_err(|e| ImapError::Tls(format!("{host}: {e}")))?;
        let conn = ClientConnection::new(Arc::new(config), name)
            .map_err(|e| ImapError::Tls(e.to_string()))?;
        let mut imap = Imap {
            stream: BufReader::new(StreamOwned::new(conn, tcp)),
            tag: 0,
            timeout,
        };
        let greeting = imap.read_logical().map_err(|e| match e {
            ImapError::Io(m) if m.contains("certificate") || m.contains("Certificate") => {
                ImapError::Tls(m)
            }
            e => e,
        })?;
        if !greeting.text.starts_with("* OK") && !greeting.text.starts_with("* PREAUTH") {
            return Err(ImapError::Refused(greeting.text));
        }
        Ok(imap)
    }

    pub fn login(&mut self, user: &str, password: &str) -> Result<()> {
        let command = format!("LOGIN {} {}", quoted(user)?, quoted(password)?);
        self.command(&command).map(|_| ())
    }

    pub fn select(&mut self, mailbox: &str) -> Result<Mailbox> {
        let mut m = Mailbox::default();
        for line in self.command(&format!("SELECT {}", quoted(mailbox)?))? {
            let t = &line.text;
            if let Some(v) = code_number(t, "UIDVALIDITY") {
                m.uid_validity = v;
            } else if let Some(v) = code_number(t, "UIDNEXT") {
                m.uid_next = v;
            } else if let Some(n) = t.strip_prefix("* ").and_then(|r| r.strip_suffix(" EXISTS")) {
                m.exists = n.trim().parse().unwrap_or(0);
            }
        }
        Ok(m)
    }

    /// The messages with a UID above `last` (UID, size), in UID order. (`last+1:*` names the
    /// highest message even when it is below `last+1`, so that one is left out here.)
    pub fn list_after(&mut self, last: u32) -> Result<Vec<(u32, u64)>> {
        let mut out: Vec<(u32, u64)> = self
            .command(&format!("UID FETCH {}:* (UID RFC822.SIZE)", last + 1))?
            .iter()
            .filter(|l| l.text.contains(" FETCH "))
            .filter_map(|l| {
                Some((
                    item_number(&l.text, "UID")?,
                    item_number(&l.text, "RFC822.SIZE")?,
                ))
            })
            .filter(|(uid, _)| *uid > last)
            .map(|(uid, size)| (uid, u64::from(size)))
            .collect();
        out.sort_unstable();
        out.dedup_by_key(|m| m.0);
        Ok(out)
    }

    /// The first UID of a message the server received on `day` or later, if any.
    pub fn first_since(&mut self, day: chrono::NaiveDate) -> Result<Option<u32>> {
        let lines = self.command(&format!("UID SEARCH SINCE {}", day.format("%-d-%b-%Y")))?;
        Ok(lines
            .iter()
            .filter_map(|l| l.text.strip_prefix("* SEARCH"))
            .flat_map(|rest| {
                rest.split_whitespace()
                    .filter_map(|n| n.parse::<u32>().ok())
            })
            .min())
    }

    /// Whether the server offers IDLE (RFC 2177).
    pub fn offers_idle(&mut self) -> Result<bool> {
        Ok(self.command("CAPABILITY")?.iter().any(|l| {
            l.text.starts_with("* CAPABILITY")
                && l.text.split(' ').any(|w| w.eq_ignore_ascii_case("IDLE"))
        }))
    }

    /// Waits in IDLE for the selected mailbox to get a message, at most `max`, looking at
    /// `stop` every second; then ends the IDLE and answers how the wait ended.
    pub fn idle(&mut self, max: Duration, stop: &dyn Fn() -> bool) -> Result<Woken> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        let inner = self.stream.get_mut();
        inner.write_all(format!("{tag} IDLE\r\n").as_bytes())?;
        inner.flush()?;
        let go = self.read_logical()?;
        if !go.text.starts_with('+') {
            return Err(ImapError::Refused(go.text));
        }
        self.stream
            .get_ref()
            .sock
            .set_read_timeout(Some(Duration::from_secs(1)))?;
        let started = std::time::Instant::now();
        let woken = loop {
            if stop() {
                break Woken::Stopped;
            }
            if started.elapsed() >= max {
                break Woken::Quiet;
            }
            let mut line = Vec::new();
            match self.stream.read_until(b'\n', &mut line) {
                Ok(0) => return Err(ImapError::Io("the server closed the connection".into())),
                Ok(_)
                    if String::from_utf8_lossy(&line)
                        .trim_end()
                        .ends_with(" EXISTS") =>
                {
                    break Woken::NewMail;
                }
                Ok(_) => {}
                Err(e)
                    if line.is_empty()
                        && matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                Err(e) => return Err(e.into()),
            }
        };
        self.stream
            .get_ref()
            .sock
            .set_read_timeout(Some(self.timeout))?;
        let inner = self.stream.get_mut();
        inner.write_all(b"DONE\r\n")?;
        inner.flush()?;
        loop {
            let line = self.read_logical()?;
            if let Some(rest) = line.text.strip_prefix(&format!("{tag} ")) {
                return match rest.split_once(' ').map_or(rest, |(s, _)| s) {
                    "OK" => Ok(woken),
                    _ => Err(ImapError::Refused(rest.to_string())),
                };
            }
        }
    }

    /// Message `uid` whole, as the server keeps it; `None` if it is gone.
    pub fn fetch(&mut self, uid: u32) -> Result<Option<Vec<u8>>> {
        self.fetch_section(uid, "BODY.PEEK[]")
    }

    /// Only the header of message `uid` (for a message too large to take whole).
    pub fn fetch_header(&mut self, uid: u32) -> Result<Option<Vec<u8>>> {
        self.fetch_section(uid, "BODY.PEEK[HEADER]")
    }

    fn fetch_section(&mut self, uid: u32, section: &str) -> Result<Option<Vec<u8>>> {
        let lines = self.command(&format!("UID FETCH {uid} (UID {section})"))?;
        Ok(lines
            .into_iter()
            .find(|l| l.text.contains(" FETCH ") && item_number(&l.text, "UID") == Some(uid))
            .and_then(|l| l.literals.into_iter().next()))
    }

    pub fn logout(mut self) {
        // The connection closes anyway; a server that does not answer changes nothing.
        let _ = self.command("LOGOUT");
    }

    /// Sends `command` with the next tag; answers the untagged lines before its OK.
    fn command(&mut self, command: &str) -> Result<Vec<Logical>> {
        self.tag += 1;
        let tag = format!("a{}", self.tag);
        let inner = self.stream.get_mut();
        inner.write_all(format!("{tag} {command}\r\n").as_bytes())?;
        inner.flush()?;
        let mut untagged = Vec::new();
        loop {
            let line = self.read_logical()?;
            if let Some(rest) = line.text.strip_prefix(&format!("{tag} ")) {
                return match rest.split_once(' ').map_or(rest, |(s, _)| s) {
                    "OK" => Ok(untagged),
                    _ => Err(ImapError::Refused(rest.to_string())),
                };
            }
            untagged.push(line);
        }
    }

    fn read_logical(&mut self) -> Result<Logical> {
        let mut out = Logical::default();
        loop {
            let mut line = Vec::new();
            let n = self.stream.read_until(b'\n', &mut line)?;
            if n == 0 {
                return Err(ImapError::Io("the server closed the connection".into()));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            match literal_size(text) {
                Some(size) => {
                    if size > MAX_LITERAL {
                        return Err(ImapError::Protocol(format!("a literal of {size} bytes")));
                    }
                    out.text.push_str(text);
                    let mut bytes = vec![0; size];
                    self.stream.read_exact(&mut bytes)?;
                    out.literals.push(bytes);
                }
                None => {
                    out.text.push_str(text);
                    return Ok(out);
                }
            }
        }
    }
}

/// The size of the literal a line ends by announcing (`{123}` or `{123+}`).
fn literal_size(line: &str) -> Option<usize> {
    let inner = line.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    inner[open + 1..].trim_end_matches('+').parse().ok()
}

/// A string as an IMAP quoted string; refused if it holds a line break or a NUL.
fn quoted(s: &str) -> Result<String> {
    if s.contains(['\r', '\n', '\0']) {
        return Err(ImapError::Protocol(
            "a line break in a name or password".into(),
        ));
    }
    Ok(format!(
        "\"{}\"",
        s.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// The number in a response code such as `[UIDVALIDITY 3857529045]`.
fn code_number(line: &str, code: &str) -> Option<u32> {
    let start = line.find(&format!("[{code} "))? + code.len() + 2;
    let rest = &line[start..];
    rest[..rest.find(']')?].trim().parse().ok()
}

/// The number after a FETCH item's name (`UID 7`, `RFC822.SIZE 1234`).
fn item_number(line: &str, item: &str) -> Option<u32> {
    let at = line
        .match_indices(item)
        .find(|(i, _)| matches!(line[..*i].chars().last(), Some('(' | ' ')))?
        .0;
    let rest = line[at + item.len()..].trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_found_at_the_end_of_a_line_only() {
        assert_eq!(literal_size("* 1 FETCH (UID 7 BODY[] {1234}"), Some(1234));
        assert_eq!(literal_size("a1 LOGIN {5+}"), Some(5));
        assert_eq!(literal_size("* OK {not a literal} here"), None);
        assert_eq!(literal_size("* 1 FETCH (UID 7)"), None);
    }

    #[test]
    fn response_codes_and_fetch_items_are_read() {
        let t = "* OK [UIDVALIDITY 1796316102] UIDs valid";
        assert_eq!(code_number(t, "UIDVALIDITY"), Some(1_796_316_102));
        assert_eq!(code_number(t, "UIDNEXT"), None);
        let f = "* 3 FETCH (RFC822.SIZE 20971520 UID 12)";
        assert_eq!(item_number(f, "UID"), Some(12));
        assert_eq!(item_number(f, "RFC822.SIZE"), Some(20_971_520));
        // "UID" inside another word is not the item.
        assert_eq!(item_number("* 1 FETCH (XUID 4 UID 9)", "UID"), Some(9));
    }

    #[test]
    fn names_are_quoted_and_line_breaks_refused() {
        assert_eq!(quoted(r#"an"na\x"#), Ok(r#""an\"na\\x""#.to_string()));
        assert!(quoted("a\r\nb LOGOUT").is_err());
    }
}
