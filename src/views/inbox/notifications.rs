//! The bell's page: a user's latest notifications, the unread ones marked.

use crate::domain::inbox::Notification;
use crate::domain::words::fill;
use crate::views::components::empty_state;
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

pub fn notifications(chrome: &Chrome, all: &[Notification]) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        w.notifications,
        html! {
            div.page-head { h1 { (w.notifications) } }
            @if all.is_empty() { (empty_state(w.notifications, w.no_notifications)) }
            ul.plain.notifications {
                @for n in all {
                    li class=[(!n.read).then_some("unread")] {
                        a href=(chrome.href(&format!("conversations/{}", n.conversation_id))) {
                            @let blanks = [("actor", n.actor.as_str()), ("number", &n.number.to_string()), ("subject", n.subject.as_str())];
                            (fill(if n.kind == "mention" { w.notice_mention } else { w.notice_assigned }, &blanks))
                        }
                        " " span.muted.small { time datetime=(n.created_at) { (chrome.time(&n.created_at)) } }
                        @if !n.read { " " span.visually-hidden { (w.unread) } }
                    }
                }
            }
        },
    )
}
