//! Importing a CSV file in three steps: choose the file, check how its columns map (with the
//! first rows as a preview), then watch it run and read what was refused.

use crate::domain::crm::Entity;
use crate::domain::import::ImportState;
use crate::domain::import::{ImportReport, Preview};
use crate::views::components::{csrf, form_error};
use crate::views::layout::{Chrome, page};
use maud::{Markup, html};

fn duplicates_choice(entity: Entity) -> Markup {
    let key = match entity {
        Entity::Contact => Some("email"),
        Entity::Company => Some("domain"),
        _ => None,
    };
    html! {
        @if let Some(key) = key {
            div.field {
                label for="duplicates" { "When a row has the " (key) " of a " (entity.singular()) " already here" }
                select id="duplicates" name="duplicates" {
                    option value="skip" selected { "Skip the row" }
                    option value="update" { "Update that " (entity.singular()) " with the row's values" }
                    option value="create" { "Create another one" }
                }
            }
        } @else {
            input type="hidden" name="duplicates" value="create";
        }
    }
}

pub fn upload(chrome: &Chrome, entity: Entity, error: Option<&str>) -> Markup {
    let title = format!("Import {}", entity.table());
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            section.panel {
                (form_error(error))
                p { "Choose a CSV file (UTF-8) whose first row names the columns. You will see how the columns match the fields before anything is written." }
                form method="post" action=(chrome.href(&format!("{}/import", entity.table()))) enctype="multipart/form-data" {
                    (csrf(chrome.csrf))
                    div.field {
                        label for="file" { "CSV file" }
                        input id="file" type="file" name="file" accept=".csv,text/csv" required;
                    }
                    div.form-actions {
                        button.primary type="submit" { "Preview" }
                        a href=(chrome.href(entity.table())) { "Cancel" }
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
    let title = format!("Import {}", entity.table());
    page(
        chrome,
        &title,
        html! {
            h1 { (title) }
            form method="post" action=(chrome.href(&format!("imports/{job}"))) {
                (csrf(chrome.csrf))
                section.panel {
                    (form_error(error))
                    h2 { "Columns" }
                    p.muted { (preview.rows) " rows. Each column fills the field chosen beside it; columns set to “Ignore” are left out." }
                    div.table-wrap tabindex="0" { table {
                        thead { tr { th scope="col" { "Column in the file" } th scope="col" { "Goes to" } th scope="col" { "First value" } } }
                        tbody { @for (i, name) in preview.header.iter().enumerate() {
                            @let chosen = preview.targets.get(i).cloned().flatten().map(|t| t.key()).unwrap_or_default();
                            tr {
                                td { label for={"map-" (i)} { (name) } }
                                td { select id={"map-" (i)} name={"map." (i)} {
                                    option value="" selected[chosen.is_empty()] { "Ignore" }
                                    @for (value, label) in &preview.choices {
                                        option value=(value) selected[*value == chosen] { (label) }
                                    }
                                } }
                                td.muted { (preview.samples.first().and_then(|r| r.get(i)).map_or("", String::as_str)) }
                            }
                        } }
                    } }
                }
                section.panel {
                    h2 { "Preview" }
                    div.table-wrap tabindex="0" { table {
                        thead { tr { @for name in &preview.header { th scope="col" { (name) } } } }
                        tbody { @for row in &preview.samples { tr { @for cell in row { td { (cell) } } } } }
                    } }
                }
                section.panel {
                    (duplicates_choice(entity))
                    div.form-actions {
                        button.primary type="submit" { "Import " (preview.rows) " rows" }
                        a href=(chrome.href(&format!("{}/import", entity.table()))) { "Choose another file" }
                    }
                }
            }
        },
    )
}

fn report(chrome: &Chrome, job: &str, entity: Entity, report: &ImportReport) -> Markup {
    html! {
        p role="status" {
            (report.created) " created, " (report.updated) " updated, " (report.skipped) " skipped as duplicates, " (report.failed.len()) " refused."
        }
        @if !report.ignored_columns.is_empty() {
            p.muted { "Ignored columns: " (report.ignored_columns.join(", ")) }
        }
        @if !report.failed.is_empty() {
            p { a href=(chrome.href(&format!("imports/{job}/errors.csv"))) { "Download the refused rows (CSV)" } " — fix them and import that file again." }
            div.table-wrap tabindex="0" { table {
                thead { tr { th scope="col" { "Line" } th scope="col" { "Why" } } }
                tbody { @for e in report.failed.iter().take(100) { tr { td { (e.line) } td { (e.message) } } } }
            } }
        }
        p { a href=(chrome.href(entity.table())) { "Go to " (entity.table()) } }
    }
}

pub fn status(chrome: &Chrome, job: &str, entity: Entity, state: &ImportState) -> Markup {
    let title = format!("Import {}", entity.table());
    let running = matches!(state, ImportState::Running { .. });
    page(
        chrome,
        &title,
        html! {
            @if running { meta http-equiv="refresh" content="1"; }
            h1 { (title) }
            section.panel {
                @match state {
                    ImportState::Waiting(_) => p { "This import is waiting for its columns to be chosen." },
                    ImportState::Running { done, total } => {
                        label for="import-progress" { "Imported " (done) " of " (if *total == 0 { "…".to_string() } else { total.to_string() }) " rows" }
                        progress id="import-progress" max=(total.max(&1)) value=(done) { (done) }
                        p.muted { "This page refreshes itself until the import is done. You may leave it; the import goes on." }
                    },
                    ImportState::Finished(r) => (report(chrome, job, entity, r)),
                    ImportState::Failed(message) => div.flash.error role="alert" { "The import stopped: " (message) },
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
        assert!(running.contains("Imported 2000 of 5000 rows"));

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
