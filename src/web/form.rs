//! Submitted forms: `application/x-www-form-urlencoded`, or `multipart/form-data` when the
//! form uploads a file.

use rouille::Request;
use std::io::Read;

#[derive(Debug, Default)]
pub struct Form(Vec<(String, String)>, Vec<(String, Vec<u8>)>);

impl Form {
    /// Reads the body of a form post; anything else gives an empty form (which then fails
    /// its CSRF check). The server has already refused bodies over `max_body_bytes`.
    pub fn read(req: &Request) -> Form {
        let Ok(mut multipart) = rouille::input::multipart::get_multipart_input(req) else {
            return Form(
                rouille::input::post::raw_urlencoded_post_input(req).unwrap_or_default(),
                Vec::new(),
            );
        };
        let mut form = Form::default();
        while let Some(mut field) = multipart.next() {
            let name = field.headers.name.to_string();
            let mut bytes = Vec::new();
            if field.data.read_to_end(&mut bytes).is_err() {
                return Form::default();
            }
            if field.headers.filename.is_some() {
                form.1.push((name, bytes));
            } else {
                form.0
                    .push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
        form
    }

    /// The bytes of an uploaded file, if one was chosen.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.1
            .iter()
            .find(|(k, b)| k == name && !b.is_empty())
            .map(|(_, b)| b.as_slice())
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Every value of a repeated field (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}
