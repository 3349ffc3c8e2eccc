//! A small HTTP/1.1 client over a plain TCP socket, with a cookie jar that scopes cookies by
//! path like a browser. No redirects are followed: tests look at each answer.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> &str {
        self.header("Location")
            .unwrap_or_else(|| panic!("no Location in {} answer: {}", self.status, self.body))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no CSRF field in: {}", self.body));
        let rest = &self.body[at + 19..];
        rest[..rest.find('"').expect("closing quote")].to_string()
    }
}

#[derive(Debug, Clone)]
struct Cookie {
    name: String,
    value: String,
    path: String,
}

#[derive(Clone)]
pub struct Client {
    addr: SocketAddr,
    jar: Vec<Cookie>,
    /// Extra headers sent with every request (e.g. Authorization).
    pub headers: Vec<(String, String)>,
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            jar: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub fn bearer(addr: SocketAddr, token: &str) -> Client {
        let mut c = Client::new(addr);
        c.headers
            .push(("Authorization".into(), format!("Bearer {token}")));
        c
    }

    pub fn get(&mut self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    /// A request with a JSON body.
    pub fn json(&mut self, method: &str, path: &str, body: &serde_json::Value) -> Response {
        let body = body.to_string();
        self.request(
            method,
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    }

    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = form_body(fields);
        self.request(
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    }

    /// Opens `page`, takes its CSRF token and posts `fields` to `action` with it.
    pub fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let form = self.get(page);
        assert_eq!(form.status, 200, "GET {page}: {}", form.body);
        let csrf = form.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.value.clone())
    }

    /// Puts a cookie in the jar by hand, e.g. to replay one tenant's session on another.
    pub fn set_cookie(&mut self, name: &str, value: &str, path: &str) {
        self.jar.retain(|c| !(c.name == name && c.path == path));
        self.jar.push(Cookie {
            name: name.into(),
            value: value.into(),
            path: path.into(),
        });
    }

    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let mut stream = TcpStream::connect(self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        let cookies: Vec<String> = self
            .jar
            .iter()
            .filter(|c| path.starts_with(&c.path))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        if !cookies.is_empty() {
            head.push_str(&format!("Cookie: {}\r\n", cookies.join("; ")));
        }
        for (k, v) in self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(headers.iter().copied())
        {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).expect("write head");
        // The server may answer (413) before reading a large body; a broken pipe then is fine.
        let _ = stream.write_all(body);
        let response = parse(&read_answer(&mut stream));
        self.store_cookies(&response);
        response
    }

    fn store_cookies(&mut self, response: &Response) {
        for (k, v) in &response.headers {
            if !k.eq_ignore_ascii_case("Set-Cookie") {
                continue;
            }
            let mut parts = v.split(';').map(str::trim);
            let Some((name, value)) = parts.next().and_then(|nv| nv.split_once('=')) else {
                continue;
            };
            let mut path = "/".to_string();
            let mut expired = false;
            for attr in parts {
                if let Some(p) = attr.strip_prefix("Path=") {
                    path = p.to_string();
                }
                if attr == "Max-Age=0" {
                    expired = true;
                }
            }
            self.jar.retain(|c| !(c.name == name && c.path == path));
            if !expired {
                self.jar.push(Cookie {
                    name: name.into(),
                    value: value.into(),
                    path,
                });
            }
        }
    }
}

/// Reads an answer to its end: as long as its Content-Length says when it has one (a server
/// may keep the connection open after it, as ChromeDriver does), else until the server
/// closes the connection.
fn read_answer(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_some_and(|n| raw.len() >= split + 4 + n) {
                return raw;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return raw,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
}

pub fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("Transfer-Encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}
