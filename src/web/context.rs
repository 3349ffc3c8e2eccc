//! The context of one request to a tenant's UI: tenant, session and user, CSRF token, flash
//! message, the submitted form, and the cookies the response must set.

use crate::App;
use crate::app::Tenant;
use crate::app::auth::{NewSession, SESSION_DAYS};
use crate::domain::secret;
use crate::domain::user::Role;
use crate::domain::user::{Session, User};
use crate::domain::words::{Lang, Words};
use crate::error::{Error, Result};
use crate::views::layout::{Chrome, Flash, Section};
use crate::web::cookie;
use crate::web::form::Form;
use rouille::{Request, Response};
use std::net::IpAddr;

pub struct Ctx<'a> {
    pub app: &'a App,
    pub req: &'a Request,
    pub request_id: &'a str,
    pub tenant: Tenant,
    pub session: Option<Session>,
    /// The token every form of this page must send back.
    pub csrf: String,
    pub flash: Option<Flash>,
    pub form: Form,
    /// The saved views the signed-in user sees, for the sidebar: (name, address).
    pub views: Vec<(String, String)>,
    /// The signed-in user's unread notifications, when the workspace has the inbox.
    pub bell: Option<i64>,
    /// Who is asking, for throttles (see `client_address`).
    pub client: IpAddr,
    cookies: Vec<String>,
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the address that
/// proxy appended last to `X-Forwarded-For` (earlier entries are the client's own word).
pub fn client_address(req: &Request, trusted: &[IpAddr]) -> IpAddr {
    let peer = req.remote_addr().ip();
    if !trusted.contains(&peer) {
        return peer;
    }
    req.header("X-Forwarded-For")
        .and_then(|list| list.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

/// The session of the request's cookie; a session that slid on is set again, one that ended
/// is cleared.
fn session_of(
    app: &App,
    req: &Request,
    tenant: &Tenant,
    cookies: &mut Vec<String>,
) -> Result<Option<Session>> {
    let Some(token) = cookie::get(req, cookie::SESSION) else {
        return Ok(None);
    };
    let base = format!("/t/{}/", tenant.slug());
    let secure = app.config.secure_cookies;
    Ok(match app.session(&tenant.db, token)? {
        Some((session, slid)) => {
            if slid {
                let max_age = Some(SESSION_DAYS * 86400);
                cookies.push(cookie::set(cookie::SESSION, token, &base, max_age, secure));
            }
            Some(session)
        }
        None => {
            cookies.push(cookie::clear(cookie::SESSION, &base, secure));
            None
        }
    })
}

/// The CSRF token of a page before sign-in: the cookie's, or a new one set now.
fn pre_session_csrf(req: &Request, base: &str, secure: bool, cookies: &mut Vec<String>) -> String {
    match cookie::get(req, cookie::PRE_SESSION_CSRF) {
        Some(token) if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) => {
            token.to_string()
        }
        _ => {
            let token = secret::new_token();
            let set = cookie::set(cookie::PRE_SESSION_CSRF, &token, base, None, secure);
            cookies.push(set);
            token
        }
    }
}

impl<'a> Ctx<'a> {
    pub fn new(
        app: &'a App,
        req: &'a Request,
        request_id: &'a str,
        tenant: Tenant,
    ) -> Result<Ctx<'a>> {
        let mut cookies = Vec::new();
        let base = format!("/t/{}/", tenant.slug());
        let secure = app.config.secure_cookies;
        let session = session_of(app, req, &tenant, &mut cookies)?;
        let csrf = match &session {
            Some(session) => session.csrf_token.clone(),
            None => pre_session_csrf(req, &base, secure, &mut cookies),
        };
        let flash = cookie::get(req, cookie::FLASH)
            .and_then(cookie::decode)
            .and_then(|text| Flash::decode(&text));
        if flash.is_some() {
            cookies.push(cookie::clear(cookie::FLASH, &base, secure));
        }
        let form = if req.method() == "POST" {
            Form::read(req)
        } else {
            Form::default()
        };
        let views = match &session {
            Some(s) => crate::app::read::records::saved_views(&tenant, &s.user)?
                .into_iter()
                .map(|(name, entity, query)| {
                    let url = format!("/t/{}/{}?{query}", tenant.slug(), entity.table());
                    (name, url)
                })
                .collect(),
            None => Vec::new(),
        };
        let bell = match &session {
            Some(s)
                if tenant
                    .caps
                    .allows(crate::domain::capability::Capability::Inbox) =>
            {
                Some(app.notifications_unread(&tenant, &s.user)?)
            }
            _ => None,
        };
        Ok(Ctx {
            client: client_address(req, &app.config.trusted_proxies),
            app,
            req,
            request_id,
            tenant,
            session,
            csrf,
            flash,
            form,
            views,
            bell,
            cookies,
        })
    }

    /// Every state-changing form carries the CSRF token of its page.
    pub fn check_csrf(&self) -> Result<()> {
        if secret::constant_time_eq(self.form.get("csrf"), &self.csrf) {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "This form has expired or did not come from this site. Reload the page and try again.".into(),
            ))
        }
    }

    pub fn user(&self) -> Result<&User> {
        self.session
            .as_ref()
            .map(|s| &s.user)
            .ok_or(Error::Unauthorized)
    }

    /// The signed-in user, if their role is at least `role`.
    pub fn user_at_least(&self, role: Role) -> Result<&User> {
        let user = self.user()?;
        if user.role >= role {
            Ok(user)
        } else {
            Err(Error::Forbidden(format!("This needs the {role} role.")))
        }
    }

    /// The path of a page of this tenant: `path("settings/users")` → `/t/acme/settings/users`.
    pub fn path(&self, rest: &str) -> String {
        format!("/t/{}/{}", self.tenant.slug(), rest)
    }

    /// Signs `new` in: replaces any session cookie the browser had (and ends that session).
    pub fn sign_in(&mut self, new: &NewSession) -> Result<()> {
        if let Some(old) = cookie::get(self.req, cookie::SESSION) {
            self.app.logout(&self.tenant.db, old)?;
        }
        let browser = self.browser_lang();
        self.app
            .remember_browser_language(&self.tenant.db, &new.user, browser)?;
        let base = format!("/t/{}/", self.tenant.slug());
        let secure = self.app.config.secure_cookies;
        self.cookies.push(cookie::set(
            cookie::SESSION,
            &new.token,
            &base,
            Some(SESSION_DAYS * 86400),
            secure,
        ));
        self.cookies
            .push(cookie::clear(cookie::PRE_SESSION_CSRF, &base, secure));
        Ok(())
    }

    pub fn sign_out(&mut self) -> Result<()> {
        if let Some(token) = cookie::get(self.req, cookie::SESSION) {
            self.app.logout(&self.tenant.db, token)?;
        }
        let base = format!("/t/{}/", self.tenant.slug());
        self.cookies.push(cookie::clear(
            cookie::SESSION,
            &base,
            self.app.config.secure_cookies,
        ));
        self.session = None;
        Ok(())
    }

    /// Back to `to` with how a form went: done in words, or its refusal in words (a bad field,
    /// a conflict, a missing right). Anything else is the error page's.
    pub fn back(&mut self, to: &str, outcome: Result<String>) -> Result<Response> {
        match outcome {
            Ok(message) => Ok(self.redirect(to, Some(Flash::success(message)))),
            Err(e @ (Error::Invalid { .. } | Error::Conflict(_) | Error::Forbidden(_))) => {
                let message = self.w().error(&e, None);
                Ok(self.redirect(to, Some(Flash::error(message))))
            }
            Err(e) => Err(e),
        }
    }

    /// A 303 to `to` (a path below this tenant), showing `flash` on the next page.
    pub fn redirect(&mut self, to: &str, flash: Option<Flash>) -> Response {
        if let Some(flash) = flash {
            let base = format!("/t/{}/", self.tenant.slug());
            self.cookies.push(cookie::set(
                cookie::FLASH,
                &cookie::encode(&flash.encode()),
                &base,
                Some(60),
                self.app.config.secure_cookies,
            ));
        }
        Response::redirect_303(self.path(to))
    }

    pub fn chrome(&self, section: Section) -> Chrome<'_> {
        Chrome {
            base: format!("/t/{}", self.tenant.slug()),
            account_name: &self.tenant.account.name,
            user: self.session.as_ref().map(|s| &s.user),
            caps: &self.tenant.caps,
            csrf: &self.csrf,
            flash: self.flash.as_ref(),
            assets: &self.app.assets,
            section,
            views: &self.views,
            bell: self.bell,
            zone: self.zone(),
            now: self.app.now(),
            lang: self.lang(),
        }
    }

    /// The viewer's language: the one they chose, else their browser's.
    pub fn lang(&self) -> Lang {
        self.session
            .as_ref()
            .and_then(|s| s.user.chosen_lang())
            .unwrap_or_else(|| self.browser_lang())
    }

    /// The language the browser asks for (English if none that Onebox speaks).
    pub fn browser_lang(&self) -> Lang {
        crate::web::browser_lang(self.req)
    }

    /// The words of the viewer's language.
    pub fn w(&self) -> &'static Words {
        self.lang().words()
    }

    /// A list's parameters read as the viewer means them: the workspace's currency, the
    /// viewer's days.
    pub fn list_query(
        &self,
        entity: crate::domain::crm::Entity,
        pairs: &[(String, String)],
    ) -> Result<crate::app::listing::ListQuery> {
        crate::app::listing::list_query(
            entity,
            pairs,
            &self.tenant.account.currency,
            self.app.now(),
            self.zone(),
        )
    }

    /// The address's query, decoded, in order (repeated names kept).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.req.raw_query_string().as_bytes())
            .into_owned()
            .collect()
    }

    /// The viewer's time zone: their own, else the workspace's (UTC if neither names one).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.tenant.zone_of(self.session.as_ref().map(|s| &s.user))
    }

    /// Adds the cookies this request set to its response.
    pub fn finish(self, mut response: Response) -> Response {
        for c in self.cookies {
            response = response.with_additional_header("Set-Cookie", c);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use std::net::IpAddr;

    #[test]
    fn only_a_trusted_proxy_may_name_the_client() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let req = |peer: &str, forwarded: Option<&str>| {
            let headers = forwarded
                .map(|f| vec![("X-Forwarded-For".to_string(), f.to_string())])
                .unwrap_or_default();
            rouille::Request::fake_http_from(
                format!("{peer}:4000").parse().expect("addr"),
                "GET",
                "/",
                headers,
                vec![],
            )
        };
        let proxy = [ip("127.0.0.1")];
        let spoofed = req("203.0.113.9", Some("10.0.0.1"));
        assert_eq!(client_address(&spoofed, &proxy), ip("203.0.113.9"));
        let proxied = req("127.0.0.1", Some("10.9.9.9, 198.51.100.7"));
        assert_eq!(client_address(&proxied, &proxy), ip("198.51.100.7"));
        assert_eq!(
            client_address(&req("127.0.0.1", None), &proxy),
            ip("127.0.0.1")
        );
        assert_eq!(client_address(&proxied, &[]), ip("127.0.0.1"));
    }
}
