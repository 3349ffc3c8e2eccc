//! What people type in a conversation's editors: `@someone` in a note, and `{{contact.first_name}}`
//! in a canned reply.

use crate::domain::ids::UserId;

/// The users a note mentions: `@` followed by an email address, its part before the `@`, or a
/// first name (case not minding), each user once, in the order first mentioned.
pub fn mentioned(text: &str, users: &[(UserId, &str, &str)]) -> Vec<UserId> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 1..];
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || "._+-@".contains(c)))
            .unwrap_or(after.len());
        let handle = after[..end].trim_end_matches(['.', '-']).to_lowercase();
        rest = &after[end..];
        if before.is_some_and(|c| c.is_alphanumeric()) || handle.is_empty() {
            continue;
        }
        let found = users.iter().find(|(_, email, name)| {
            let email = email.to_lowercase();
            let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
            email == handle || email.split('@').next() == Some(handle.as_str()) || first == handle
        });
        if let Some((id, _, _)) = found
            && !out.contains(id)
        {
            out.push(*id);
        }
    }
    out
}

/// `body` with each `{{name}}` replaced by what `value` says of it (nothing for a name it does
/// not know), so a canned reply reads as written for this contact.
pub fn fill_variables(body: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = rest[open + 2..open + close].trim();
        out.push_str(&value(name).unwrap_or_default());
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// A canned reply's shortcut: 1 to 30 letters, digits, `-` or `_`, kept in lower case.
pub fn shortcut(text: &str) -> Option<String> {
    let s = text.trim().trim_start_matches('/').to_lowercase();
    let ok = (1..=30).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    ok.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_find_people_by_address_local_part_or_first_name_once_each() {
        let users = [
            (UserId(1), "mia@acme.test", "Mia Jansen"),
            (UserId(2), "bram@acme.test", ""),
        ];
        assert_eq!(
            mentioned(
                "@mia can you look? cc @bram@acme.test, and @Mia again",
                &users
            ),
            vec![UserId(1), UserId(2)]
        );
        assert_eq!(mentioned("@bram.", &users), vec![UserId(2)]);
        assert!(mentioned("mail anna@mia or @nobody", &users).is_empty());
    }

    #[test]
    fn variables_are_filled_and_unknown_ones_left_out() {
        let v = |name: &str| (name == "contact.first_name").then(|| "Daan".to_string());
        assert_eq!(
            fill_variables("Hi {{ contact.first_name }}, {{x}}thanks {{", v),
            "Hi Daan, thanks {{"
        );
        assert_eq!(fill_variables("plain", v), "plain");
    }

    #[test]
    fn shortcuts_are_short_words() {
        assert_eq!(shortcut("/Thanks").as_deref(), Some("thanks"));
        assert_eq!(shortcut("two words"), None);
        assert_eq!(shortcut(""), None);
    }
}
