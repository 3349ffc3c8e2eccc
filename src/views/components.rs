//! Shared view pieces: form fields with their errors, buttons, flash messages, badges, empty
//! states. Each takes plain values and returns `Markup`.

use crate::error::FieldError;
use crate::views::layout::{Flash, Tone};
use maud::{Markup, html};

pub fn flash(flash: &Flash) -> Markup {
    let (class, role) = match flash.tone {
        Tone::Success => ("flash success", "status"),
        Tone::Info => ("flash info", "status"),
        Tone::Error => ("flash error", "alert"),
    };
    html! { div class=(class) role=(role) { (flash.message) } }
}

pub fn csrf(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The message for `name` among `errors`, if any.
pub fn error_for<'e>(errors: &'e [FieldError], name: &str) -> Option<&'e str> {
    errors
        .iter()
        .find(|e| e.field == name)
        .map(|e| e.message.as_str())
}

/// A labelled input with its error message, wired for screen readers.
pub struct Field<'a> {
    pub label: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub required: bool,
    pub autocomplete: Option<&'a str>,
    /// The id of a `datalist` whose options the input suggests as one types.
    pub list: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn new(label: &'a str, name: &'a str) -> Field<'a> {
        Field {
            label,
            name,
            kind: "text",
            value: "",
            hint: None,
            required: false,
            autocomplete: None,
            list: None,
        }
    }
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn value(mut self, value: &'a str) -> Self {
        self.value = value;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn autocomplete(mut self, token: &'a str) -> Self {
        self.autocomplete = Some(token);
        self
    }

    pub fn list(mut self, id: &'a str) -> Field<'a> {
        self.list = Some(id);
        self
    }

    pub fn render(&self, lang: crate::domain::words::Lang, errors: &[FieldError]) -> Markup {
        let id = format!("f-{}", self.name);
        let error = error_for(errors, self.name);
        let described = match (self.hint.is_some(), error.is_some()) {
            (_, true) => Some(format!("{id}-error")),
            (true, false) => Some(format!("{id}-hint")),
            _ => None,
        };
        html! {
            div.field.invalid[error.is_some()] {
                label for=(id) { (self.label) @if self.required { span.req aria-hidden="true" { " *" } } }
                input id=(id) type=(self.kind) name=(self.name) value=(self.value)
                    required[self.required] autocomplete=[self.autocomplete] list=[self.list]
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[described];
                @if let Some(message) = error {
                    p.error id={(id) "-error"} { (self.label) " " (lang.words().said(message)) }
                } @else if let Some(hint) = self.hint {
                    p.hint id={(id) "-hint"} { (hint) }
                }
            }
        }
    }
}

/// The IANA time zones, for a time zone field to suggest as one types (`Field::list`).
pub fn time_zones(id: &str) -> Markup {
    html! { datalist id=(id) { @for name in crate::domain::local_time::zone_names() { option value=(name) {} } } }
}

/// A form-level message for errors not tied to one field.
pub fn form_error(message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            div.flash.error role="alert" { (message) }
        }
    }
}

/// A one-button form that posts to `action`: for revoke, disable and the like.
pub fn post_button(
    action: &str,
    csrf_token: &str,
    label: &str,
    class: &str,
    confirm: Option<&str>,
) -> Markup {
    html! {
        form.inline method="post" action=(action) data-confirm=[confirm] {
            (csrf(csrf_token))
            button type="submit" class=(class) { (label) }
        }
    }
}

/// One of the icons of `assets/icons.svg`, beside words that say the same (so it is hidden
/// from screen readers).
pub fn icon(assets: &crate::assets::Assets, name: &str) -> Markup {
    let href = format!("{}#{name}", assets.url("icons.svg"));
    html! { svg.icon aria-hidden="true" focusable="false" { use href=(href) {} } }
}

pub fn badge(text: &str, tone: &str) -> Markup {
    html! { span class={"badge " (tone)} { (text) } }
}

pub fn empty_state(title: &str, text: &str) -> Markup {
    html! { div.empty { p.title { (title) } p.muted { (text) } } }
}
