//! Automations on the inbox, against a real Dovecot and SMTP receiver: a rule on
//! `conversation.created` (only for quotes) sets the priority, labels the conversation and
//! answers from a template with the contact's name; one on `message.received` gives it to a
//! member; one on `conversation.resolved` snoozes nothing but labels it done. A rule with a
//! conversation action on another event is refused by field.

use crate::support::TestApp;
use crate::support::dovecot::Dovecot;
use onebox::domain::capability::Profile;
use onebox::domain::inbox::{Priority, Status};
use onebox::domain::slug::Slug;
use onebox::domain::user::Role;
use serde_json::json;

#[test]
fn rules_on_inbox_events_label_prioritise_answer_and_assign() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    let mut api = app.api("acme", "owner@acme.test");
    for name in ["Lead", "Done"] {
        let r = api.json(
            "POST",
            "/t/acme/api/v1/labels",
            &json!({"name": name, "color": "#1d4ed8"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let rule = |api: &mut crate::support::http::Client, body: serde_json::Value| {
        api.json("POST", "/t/acme/api/v1/automations", &body)
    };
    let refused = rule(
        &mut api,
        json!({"name": "Wrong", "trigger": {"event": "deal.won"}, "actions": [{"type": "set_priority", "priority": "high"}]}),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("set_priority needs a rule about conversations"),
        "{}",
        refused.body
    );
    let bad = rule(
        &mut api,
        json!({"name": "Typo", "trigger": {"event": "conversation.created"},
               "actions": [{"type": "reply", "text": "Hi {{conversation.nope}}"}]}),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    for body in [
        json!({"name": "Quotes first", "trigger": {"event": "conversation.created"},
        "conditions": {"all": [{"field": "conversation.subject", "op": "contains", "value": "offerte"}]},
        "actions": [
            {"type": "set_priority", "priority": "high"},
            {"type": "label_conversation", "label": "Lead"},
            {"type": "reply", "text": "Dag {{contact.first_name}}, we hebben je vraag (#{{conversation.number}}) ontvangen."}
        ]}),
        json!({"name": "To Mia", "trigger": {"event": "message.received"},
               "actions": [{"type": "assign_conversation", "user": "mia@acme.test"}]}),
        json!({"name": "Done", "trigger": {"event": "conversation.resolved"},
               "actions": [{"type": "label_conversation", "label": "Done"}]}),
    ] {
        let made = rule(&mut api, body);
        assert_eq!(made.status, 201, "{}", made.body);
    }

    let d = Dovecot::start();
    let t = app
        .app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let owner = app
        .app()
        .user_by_email(&t.db, "owner@acme.test")
        .expect("owner");
    let inbox = app
        .app()
        .create_inbox(&t, &owner, &d.inbox_input())
        .expect("inbox");
    d.deliver(b"From: Daan de Vries <daan@example.test>\r\nTo: support@acme.test\r\nSubject: Offerte dakkapel\r\nMessage-ID: <q1@example.test>\r\n\r\nWat kost het?\r\n");
    d.deliver(b"From: Eva <eva@example.test>\r\nTo: support@acme.test\r\nSubject: Factuur\r\nMessage-ID: <f1@example.test>\r\n\r\nKlopt dit?\r\n");
    // An out-of-office reply about a quote: labelled and prioritised, never answered.
    d.deliver(b"From: Bas <bas@example.test>\r\nTo: support@acme.test\r\nSubject: Re: offerte\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <o1@example.test>\r\n\r\nIk ben er niet.\r\n");
    app.app().fetch_inbox(&t, inbox).expect("fetched");
    for _ in 0..3 {
        onebox::jobs::tick(app.app()).expect("tick");
    }
    let mia = app
        .app()
        .user_by_email(&t.db, "mia@acme.test")
        .expect("mia")
        .id;
    let all = app.app().conversations(&t, 10).expect("list");
    let quote = all
        .iter()
        .find(|c| c.subject == "Offerte dakkapel")
        .expect("the quote");
    let invoice = all
        .iter()
        .find(|c| c.subject == "Factuur")
        .expect("the invoice");
    assert_eq!(quote.priority, Priority::High);
    assert_eq!(
        invoice.priority,
        Priority::None,
        "the condition held only for the quote"
    );
    assert_eq!(
        (quote.assignee_id, invoice.assignee_id),
        (Some(mia), Some(mia))
    );
    let labels = |id| {
        app.app()
            .conversation_labels(&t, id)
            .expect("labels")
            .into_iter()
            .map(|l| l.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(quote.id), vec!["Lead".to_string()]);
    app.deliver_mail();
    let mails = app.smtp.wait_for(1);
    let answer = mails
        .iter()
        .find(|m| m.to.contains(&"daan@example.test".to_string()))
        .unwrap_or_else(|| panic!("the answer to Daan: {mails:?}"));
    assert!(
        answer.text().contains("Dag Daan, we hebben je vraag (#"),
        "{}",
        answer.text()
    );
    assert!(
        answer.data.contains("In-Reply-To: <q1@example.test>"),
        "{}",
        answer.data
    );
    assert!(
        answer.data.contains("Auto-Submitted: auto-replied"),
        "a rule's answer says it is automatic"
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    let to_bas = app
        .smtp
        .mails()
        .into_iter()
        .filter(|m| m.to.contains(&"bas@example.test".to_string()))
        .count();
    assert_eq!(to_bas, 0, "a robot is never answered");
    let robot = all
        .iter()
        .find(|c| c.subject == "Re: offerte")
        .expect("the robot's");
    assert_eq!(
        robot.priority,
        Priority::High,
        "the rule ran on it all the same"
    );

    app.app()
        .set_conversation_status(&t, &owner, invoice.id, (Status::Resolved, None))
        .expect("resolved");
    onebox::jobs::tick(app.app()).expect("tick");
    assert_eq!(labels(invoice.id), vec!["Done".to_string()]);
    let (_, thread) = app.app().conversation(&t, quote.id).expect("thread");
    assert!(
        thread
            .iter()
            .any(|m| m.direction == "activity" && m.subject == "priority"),
        "the rule's change is on the thread"
    );
}

#[test]
fn a_rule_gives_a_conversation_to_the_inboxs_next_member_and_snoozes_it() {
    let app = TestApp::start();
    app.tenant_with_owner("acme", Profile::Generic, "owner@acme.test");
    app.add_user("acme", "mia@acme.test", Role::Member);
    let mut api = app.api("acme", "owner@acme.test");
    let made = api.json(
        "POST",
        "/t/acme/api/v1/automations",
        &json!({"name": "Later", "trigger": {"event": "conversation.created"},
                "actions": [{"type": "assign_conversation"}, {"type": "snooze", "hours": 4}]}),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let d = Dovecot::start();
    let t = app
        .app()
        .tenant(&Slug::parse("acme").expect("slug"))
        .expect("tenant");
    let owner = app
        .app()
        .user_by_email(&t.db, "owner@acme.test")
        .expect("owner");
    let mia = app
        .app()
        .user_by_email(&t.db, "mia@acme.test")
        .expect("mia")
        .id;
    let inbox = app
        .app()
        .create_inbox(&t, &owner, &d.inbox_input())
        .expect("inbox");
    let work = onebox::app::inbox::WorkInput {
        members: vec![mia],
        ..Default::default()
    };
    app.app()
        .save_inbox_work(&t, &owner, inbox, &work)
        .expect("members");
    d.deliver(b"From: Eva <eva@example.test>\r\nTo: support@acme.test\r\nSubject: Later\r\nMessage-ID: <l1@example.test>\r\n\r\nGeen haast.\r\n");
    app.app().fetch_inbox(&t, inbox).expect("fetched");
    for _ in 0..3 {
        onebox::jobs::tick(app.app()).expect("tick");
    }
    let c = app.app().conversations(&t, 10).expect("list").remove(0);
    assert_eq!(
        c.assignee_id,
        Some(mia),
        "the inbox's round, though it does not assign by itself"
    );
    assert_eq!(c.status, Status::Snoozed);
    let until =
        onebox::clock::parse_stamp(c.snoozed_until.as_deref().unwrap_or("")).expect("until");
    let left = until - app.app().now();
    assert!(
        left > chrono::Duration::minutes(235) && left <= chrono::Duration::hours(4),
        "{left}"
    );
}
