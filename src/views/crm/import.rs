//! Importing a CSV file in three steps: choose the file, check how its columns map (with the
//! first rows as a preview), then watch it run and read what was refused.

use crate::domain::crm::Entity;
use crate::domain::import::ImportState;
use crate::domain::import::{ImportReport, Preview};
use crate::domain::words::{Words, fill};
use crate::views::components::{csrf, form_error};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

fn duplicates_choice(w: &Words, entity: Entity) -> Markup {
    let key = match entity {
        Entity::Contact => Some("email"),
        Entity::Company => Some("domain"),
        _ => None,
    };
    let kind = w.record(entity);
    html! {
        @if let Some(key) = key {
            div.field {
                label for="duplicates" { (fill(w.dup_when, &[("key", &w.field(entity, key).to_lowercase()), ("kind", kind)])) }
                select id="duplicates" name="duplicates" {
                    option value="skip" selected { (w.dup_skip) }
                    option value="update" { (fill(w.dup_update, &[("kind", kind)])) }
                    option value="create" { (w.dup_create) }
                }
            }
        } @else {
            input type="hidden" name="duplicates" value="create";
        }
    }
}

/// "Import contacts" in the reader's words.
fn title(w: &Words, entity: Entity) -> String {
    fill(
        w.import_title,
        &[("kinds", &w.records(entity).to_lowercase())],
    )
}

pub fn upload(chrome: &Chrome, entity: Entity, error: Option<&str>) -> Markup {
    let w = chrome.w();
    let title = title(w, entity);
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            section.panel {
                (form_error(error))
                p { (w.import_intro) }
                form method="post" action=(chrome.href(&format!("{}/import", entity.table()))) enctype="multipart/form-data" {
                    (csrf(chrome.csrf))
                    div.field {
                        label for="file" { (w.csv_file) }
                        input id="file" type="file" name="file" accept=".csv,text/csv" required;
                    }
                    div.form-actions {
                        button.primary type="submit" { (w.preview) }
                        a href=(chrome.href(entity.table())) { (w.cancel) }
                    }
                }
            }
        },
    )
}

pub fn mapping(
    chrome: &Chrome,
    entity: Entity,
    job: &str,
    preview: &Preview,
    error: Option<&str>,
) -> Markup {
    let w = chrome.w();
    let title = title(w, entity);
    let rows = chrome.count(preview.rows as i64);
    let label_of = |value: &str, label: &str| match entity.field(value) {
        Some(_) => w.field(entity, value),
        None => label.to_string(),
    };
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            form method="post" action=(chrome.href(&format!("imports/{job}"))) {
                (csrf(chrome.csrf))
                section.panel {
                    (form_error(error))
                    h2 { (w.columns) }
                    p.muted { (fill(w.import_rows, &[("n", &rows)])) }
                    div.table-wrap tabindex="0" { table {
                        thead { tr { th scope="col" { (w.column_in_file) } th scope="col" { (w.goes_to) } th scope="col" { (w.first_value) } } }
                        tbody { @for (i, name) in preview.header.iter().enumerate() {
                            @let chosen = preview.targets.get(i).cloned().flatten().map(|t| t.key()).unwrap_or_default();
                            tr {
                                td { label for={"map-" (i)} { (name) } }
                                td { select id={"map-" (i)} name={"map." (i)} {
                                    option value="" selected[chosen.is_empty()] { (w.ignore) }
                                    @for (value, label) in &preview.choices {
                                        option value=(value) selected[*value == chosen] { (label_of(value, label)) }
                                    }
                                } }
                                td.muted { (preview.samples.first().and_then(|r| r.get(i)).map_or("", String::as_str)) }
                            }
                        } }
                    } }
                }
                section.panel {
                    h2 { (w.preview) }
                    div.table-wrap tabindex="0" { table {
                        thead { tr { @for name in &preview.header { th scope="col" { (name) } } } }
                        tbody { @for row in &preview.samples { tr { @for cell in row { td { (cell) } } } } }
                    } }
                }
                section.panel {
                    (duplicates_choice(w, entity))
                    div.form-actions {
                        button.primary type="submit" { (fill(w.import_n_rows, &[("n", &rows)])) }
                        a href=(chrome.href(&format!("{}/import", entity.table()))) { (w.choose_another_file) }
                    }
                }
            }
        },
    )
}

fn report(chrome: &Chrome, job: &str, entity: Entity, report: &ImportReport) -> Markup {
    let w = chrome.w();
    let n = |v: usize| chrome.count(v as i64);
    let summary = fill(
        w.import_report,
        &[
            ("created", &n(report.created)),
            ("updated", &n(report.updated)),
            ("skipped", &n(report.skipped)),
            ("refused", &n(report.failed.len())),
        ],
    );
    html! {
        p role="status" { (summary) }
        @if !report.ignored_columns.is_empty() {
            p.muted { (fill(w.ignored_columns, &[("names", &report.ignored_columns.join(", "))])) }
        }
        @if !report.failed.is_empty() {
            p { a href=(chrome.href(&format!("imports/{job}/errors.csv"))) { (w.download_refused) } " " (w.fix_and_import) }
            div.table-wrap tabindex="0" { table {
                thead { tr { th scope="col" { (w.line) } th scope="col" { (w.why) } } }
                tbody { @for e in report.failed.iter().take(100) { tr { td { (e.line) } td { (w.said(&e.message)) } } } }
            } }
        }
        p { a href=(chrome.href(entity.table())) { (fill(w.go_to_kinds, &[("kinds", &w.records(entity).to_lowercase())])) } }
    }
}

pub fn status(chrome: &Chrome, job: &str, entity: Entity, state: &ImportState) -> Markup {
    let w = chrome.w();
    let title = title(w, entity);
    let running = matches!(state, ImportState::Running { .. });
    page(
        chrome,
        &title,
        html! {
            @if running { meta http-equiv="refresh" content="1"; }
            h1 { (title) }
            section.panel {
                @match state {
                    ImportState::Waiting(_) => p { (w.import_waiting) },
                    ImportState::Running { done, total } => {
                        @let of = if *total == 0 { "…".to_string() } else { chrome.count(*total as i64) };
                        label for="import-progress" { (fill(w.imported_of, &[("done", &chrome.count(*done as i64)), ("total", &of)])) }
                        progress id="import-progress" max=(total.max(&1)) value=(done) { (done) }
                        p.muted { (w.import_refreshes) }
                    },
                    ImportState::Finished(r) => (report(chrome, job, entity, r)),
                    ImportState::Failed(message) => div.flash.error role="alert" { (fill(w.import_stopped, &[("why", &w.said(message))])) },
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::Assets;
    use crate::domain::capability::{Capabilities, Profile};
    use crate::domain::import::RowError;
    use crate::views::layout::Section;

    fn render(state: &ImportState) -> String {
        let caps = Capabilities::resolve(Profile::Generic, []);
        let assets = Assets::load();
        let chrome = Chrome {
            base: "/t/acme".into(),
            account_name: "Acme",
            user: None,
            caps: &caps,
            csrf: "token",
            flash: None,
            assets: &assets,
            section: Section::Record(Entity::Contact),
            views: &[],
            bell: None,
            zone: chrono_tz::UTC,
            now: chrono::Utc::now(),
            lang: crate::domain::words::Lang::En,
        };
        status(&chrome, "job1", Entity::Contact, state).into_string()
    }

    #[test]
    fn a_running_import_shows_its_progress_and_refreshes_until_done() {
        let running = render(&ImportState::Running {
            done: 2000,
            total: 5000,
        });
        assert!(running.contains(r#"<meta http-equiv="refresh" content="1">"#));
        assert!(running.contains(r#"max="5000" value="2000""#), "{running}");
        assert!(running.contains("Imported 2,000 of 5,000 rows"));

        let finished = render(&ImportState::Finished(ImportReport {
            created: 3,
            failed: vec![RowError {
                line: 4,
                message: "email: is not a valid email address".into(),
                cells: Vec::new(),
            }],
            ..ImportReport::default()
        }));
        assert!(
            !finished.contains("http-equiv"),
            "a finished import stops refreshing"
        );
        assert!(!finished.contains("<progress"));
        assert!(finished.contains("3 created, 0 updated, 0 skipped as duplicates, 1 refused."));
        assert!(finished.contains(r#"href="/t/acme/imports/job1/errors.csv""#));
    }
}
