//! The inbox settings: each inbox with how its fetching goes, a new inbox (owners and
//! admins), and the canned replies with their shortcuts.

use crate::domain::ids::UserId;
use crate::domain::inbox::{CannedReply, Health, Inbox, Team};
use crate::domain::words::fill;
use crate::views::components::{badge, csrf};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

/// An inbox as its settings show it: how fetching goes, and who works it.
pub struct InboxRow {
    pub inbox: Inbox,
    pub health: Health,
    pub members: Vec<UserId>,
}

pub fn settings(
    chrome: &Chrome,
    inboxes: &[InboxRow],
    (people, teams): (&[(UserId, String)], &[Team]),
    canned: &[CannedReply],
    is_admin: bool,
) -> Markup {
    let w = chrome.w();
    page(
        chrome,
        w.inbox_settings,
        html! {
            div.page-head { div { p.crumb { a href=(chrome.href("inbox")) { (w.nav_inbox) } } h1 { (w.inbox_settings) } } }
            section.panel aria-labelledby="inboxes-h" {
                h2 #inboxes-h { (w.inbox_inboxes) }
                @if inboxes.is_empty() { p.muted { (w.inbox_none_yet) } }
                @for row in inboxes {
                    (inbox_health(chrome, &row.inbox, &row.health, is_admin))
                    @if is_admin { (work_form(chrome, row, (people, teams))) }
                }
            }
            @if is_admin { (new_inbox(chrome)) }
            (teams_panel(chrome, teams, people, is_admin))
            (canned_replies(chrome, canned, is_admin))
        },
    )
}

fn inbox_health(chrome: &Chrome, inbox: &Inbox, h: &Health, is_admin: bool) -> Markup {
    let w = chrome.w();
    let failing = h.failures > 0;
    html! {
        div.inbox-health {
            h3 { (inbox.name) " " span.muted.small { (inbox.address) } " "
                @if !inbox.active { (badge(w.inbox_off, "")) } @else if failing { (badge(w.inbox_failing, "danger")) } @else { (badge(w.inbox_healthy, "ok")) } }
            p.small {
                (inbox.imap_user) " @ " (inbox.imap_host) ":" (inbox.imap_port) " · " (inbox.imap_mailbox)
            }
            p.small {
                @match &h.last_success_at {
                    Some(t) => { (fill(w.inbox_last_success, &[("time", &chrome.time(t))])) }
                    None => { (w.inbox_never_fetched) }
                }
                @if inbox.active { " · " (fill(w.inbox_next_try, &[("time", &chrome.time(&h.next_at))])) }
            }
            @if let (Some(e), Some(at)) = (&h.last_error, &h.last_error_at) {
                p.small.danger-text { (fill(w.inbox_last_error, &[("time", &chrome.time(at)), ("error", e)])) }
            }
            @if is_admin {
                form.narrowing method="post" action=(chrome.href(&format!("inbox/settings/inboxes/{}/fetch_again", inbox.id))) {
                    (csrf(chrome.csrf))
                    label for={"f-since-" (inbox.id)} { (w.inbox_fetch_since) }
                    input type="date" id={"f-since-" (inbox.id)} name="since";
                    button.small type="submit" { (w.inbox_fetch_again) }
                }
            }
        }
    }
}

fn new_inbox(chrome: &Chrome) -> Markup {
    let w = chrome.w();
    let field = |id: &str, label: &str, kind: &str, value: &str| {
        html! {
            div.field {
                label for={"f-" (id)} { (label) }
                input id={"f-" (id)} name=(id) type=(kind) value=(value) required autocomplete="off";
            }
        }
    };
    html! {
        section.panel aria-labelledby="new-inbox-h" {
            h2 #new-inbox-h { (w.inbox_new) }
            p.hint { (w.inbox_new_hint) }
            form.record-form method="post" action=(chrome.href("inbox/settings/inboxes")) {
                (csrf(chrome.csrf))
                (field("name", w.set_name, "text", ""))
                (field("address", w.inbox_address, "email", ""))
                (field("imap_host", w.inbox_imap_host, "text", ""))
                (field("imap_port", w.inbox_imap_port, "number", "993"))
                (field("imap_user", w.inbox_imap_user, "text", ""))
                (field("imap_password", w.inbox_imap_password, "password", ""))
                (field("imap_mailbox", w.inbox_imap_mailbox, "text", "INBOX"))
                div.field {
                    label for="f-imap_ca" { (w.inbox_imap_ca) }
                    textarea #f-imap_ca name="imap_ca" rows="3" {}
                    p.hint { (w.inbox_imap_ca_hint) }
                }
                button type="submit" { (w.inbox_add) }
            }
        }
    }
}

fn canned_replies(chrome: &Chrome, canned: &[CannedReply], is_admin: bool) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="canned-h" {
            h2 #canned-h { (w.inbox_canned_replies) }
            p.hint { (w.inbox_canned_variables) }
            @if canned.is_empty() { p.muted { (w.inbox_no_canned) } }
            ul.plain.canned {
                @for r in canned {
                    li {
                        strong { "/" (r.shortcut) } " " span.mail-text { (r.body) }
                        @if is_admin {
                            form.inline method="post" action=(chrome.href(&format!("inbox/settings/canned/{}/delete", r.id))) {
                                (csrf(chrome.csrf)) button.link.small type="submit" { (w.delete) }
                            }
                        }
                    }
                }
            }
            @if is_admin {
                form.record-form method="post" action=(chrome.href("inbox/settings/canned")) {
                    (csrf(chrome.csrf))
                    div.field { label for="f-shortcut" { (w.inbox_shortcut) } input #f-shortcut name="shortcut" type="text" required maxlength="31" autocomplete="off"; }
                    div.field { label for="f-body" { (w.inbox_canned_text) } textarea #f-body name="body" rows="4" required {} }
                    button type="submit" { (w.inbox_canned_add) }
                }
            }
        }
    }
}

/// Who works an inbox and how it answers: members and their round, hours, away reply and
/// signature.
fn work_form(
    chrome: &Chrome,
    row: &InboxRow,
    (people, teams): (&[(UserId, String)], &[Team]),
) -> Markup {
    let w = chrome.w();
    let i = &row.inbox;
    let id = |name: &str| format!("f-{}-{name}", i.id);
    let days: Vec<&str> = w.weekdays.split(' ').collect();
    html! {
        details.inbox-work {
            summary { (fill(w.inbox_work_of, &[("name", &i.name)])) }
            form.record-form method="post" action=(chrome.href(&format!("inbox/settings/inboxes/{}/work", i.id))) {
                (csrf(chrome.csrf))
                fieldset {
                    legend { (w.inbox_members) }
                    @for (uid, name) in people {
                        div.check-field {
                            input type="checkbox" id=(id(&format!("m{uid}"))) name="members" value=(uid) checked[row.members.contains(uid)];
                            label for=(id(&format!("m{uid}"))) { (name) }
                        }
                    }
                }
                div.field {
                    label for=(id("team")) { (w.inbox_team) }
                    select id=(id("team")) name="team" {
                        option value="" { (w.inbox_no_team) }
                        @for t in teams { option value=(t.id) selected[i.team_id == Some(t.id)] { (t.name) } }
                    }
                }
                div.check-field {
                    input type="checkbox" id=(id("auto")) name="auto_assign" value="1" checked[i.auto_assign];
                    label for=(id("auto")) { (w.inbox_auto_assign) }
                }
                div.field {
                    label for=(id("cap")) { (w.inbox_assign_cap) }
                    input type="number" id=(id("cap")) name="assign_cap" min="1" max="1000" value=[i.assign_cap];
                    p.hint { (w.inbox_assign_cap_hint) }
                }
                fieldset {
                    legend { (w.inbox_hours) }
                    p.hint { (w.inbox_hours_hint) }
                    @for (n, day) in days.iter().enumerate() {
                        div.field {
                            label for=(id(&format!("h{n}"))) { (day) }
                            input type="text" id=(id(&format!("h{n}"))) name={"hours" (n)} placeholder="09:00–17:00"
                                value=(i.hours.as_ref().and_then(|h| h.get(n)).map_or("", String::as_str));
                        }
                    }
                }
                div.field {
                    label for=(id("away")) { (w.inbox_away_reply) }
                    textarea id=(id("away")) name="away_reply" rows="3" { (i.away_reply) }
                    p.hint { (w.inbox_away_hint) }
                }
                div.field {
                    label for=(id("sig")) { (w.inbox_signature) }
                    textarea id=(id("sig")) name="signature" rows="3" { (i.signature) }
                }
                button type="submit" { (w.save) }
            }
        }
    }
}

/// The teams, each with its members; owners and admins add, change and remove them.
fn teams_panel(
    chrome: &Chrome,
    teams: &[Team],
    people: &[(UserId, String)],
    is_admin: bool,
) -> Markup {
    let w = chrome.w();
    html! {
        section.panel aria-labelledby="teams-h" {
            h2 #teams-h { (w.inbox_teams) }
            @if teams.is_empty() { p.muted { (w.inbox_no_teams) } }
            @for t in teams {
                div.inbox-health {
                    h3 { (t.name) }
                    @if is_admin {
                        form method="post" action=(chrome.href(&format!("inbox/settings/teams/{}/members", t.id))) {
                            (csrf(chrome.csrf))
                            fieldset {
                                legend { (w.inbox_members) }
                                @for (uid, name) in people {
                                    div.check-field {
                                        input type="checkbox" id={"t" (t.id) "-m" (uid)} name="members" value=(uid) checked[t.members.contains(uid)];
                                        label for={"t" (t.id) "-m" (uid)} { (name) }
                                    }
                                }
                            }
                            button.small type="submit" { (w.save) }
                        }
                        form method="post" action=(chrome.href(&format!("inbox/settings/teams/{}/delete", t.id))) {
                            (csrf(chrome.csrf)) button.small.danger type="submit" { (w.delete) }
                        }
                    } @else {
                        p.small { (people.iter().filter(|(id, _)| t.members.contains(id)).map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")) }
                    }
                }
            }
            @if is_admin {
                form.narrowing method="post" action=(chrome.href("inbox/settings/teams")) {
                    (csrf(chrome.csrf))
                    label for="f-team-name" { (w.inbox_team_name) }
                    input #f-team-name type="text" name="name" required maxlength="60" autocomplete="off";
                    button type="submit" { (w.inbox_add_team) }
                }
            }
        }
    }
}
