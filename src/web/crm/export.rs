//! Exporting a list, with the same filters and order as the page, as CSV.

use crate::app::read::records as read;
use crate::domain::crm::Entity;
use crate::domain::csv::write_row;
use crate::domain::fields::Kind;
use crate::domain::ids::{PipelineId, StageId};
use crate::error::Result;
use crate::web::context::Ctx;
use rouille::Response;
use serde_json::Value;

/// At most this many rows per file; a larger export should be filtered.
const MAX_ROWS: i64 = 200_000;

pub fn export(ctx: &mut Ctx, entity: Entity) -> Result<Response> {
    ctx.user()?;
    ctx.tenant.require_entity(entity)?;
    let params: Vec<(String, String)> = ctx
        .query_pairs()
        .into_iter()
        .filter(|(k, _)| k != "limit" && k != "cursor")
        .collect();
    let mut query = ctx.list_query(entity, &params)?;
    query.limit = MAX_ROWS;
    let (rows, names, custom) = read::export(&ctx.tenant, entity, &query)?;

    let mut header: Vec<String> = vec!["id".into()];
    for f in entity.fields() {
        header.push(f.name.into());
        if let Some(readable) = readable_column(f.kind, f.name) {
            header.push(readable);
        }
    }
    header.extend(entity.derived().iter().map(|d| d.to_string()));
    header.extend(custom.iter().map(|f| format!("custom.{}", f.key)));
    if entity.has_labels_and_custom() {
        header.push("labels".into());
    }
    header.extend(["created_at".into(), "updated_at".into()]);

    let mut out = String::with_capacity(rows.len() * 200 + 200);
    write_row(&mut out, &header);
    for r in &rows {
        let mut line: Vec<String> = vec![r.id.to_string()];
        for f in entity.fields() {
            let v = r.values.get(f.name).cloned().unwrap_or(Value::Null);
            line.push(plain(&v));
            if readable_column(f.kind, f.name).is_some() {
                let id = v.as_i64().unwrap_or_default();
                line.push(match f.kind {
                    Kind::Ref(e) if !v.is_null() => names.record(e, id),
                    Kind::User => names.users.get(&id).cloned().unwrap_or_default(),
                    Kind::Stage => names
                        .stages
                        .get(&StageId(id))
                        .map(|s| s.0.clone())
                        .unwrap_or_default(),
                    Kind::Pipeline => names
                        .pipelines
                        .get(&PipelineId(id))
                        .cloned()
                        .unwrap_or_default(),
                    _ => String::new(),
                });
            }
        }
        line.extend(
            entity
                .derived()
                .iter()
                .map(|d| plain(r.values.get(*d).unwrap_or(&Value::Null))),
        );
        line.extend(
            custom
                .iter()
                .map(|f| plain(r.custom.get(&f.key).unwrap_or(&Value::Null))),
        );
        if entity.has_labels_and_custom() {
            line.push(r.labels.join(", "));
        }
        line.extend([r.created_at.clone(), r.updated_at.clone()]);
        write_row(&mut out, &line);
    }
    let file = format!("{}-{}.csv", entity.table(), ctx.app.now().format("%Y%m%d"));
    Ok(Response::from_data("text/csv; charset=utf-8", out)
        .with_content_disposition_attachment(&file))
}

/// The column with a readable name beside an id column: `company_id` → `company`.
fn readable_column(kind: Kind, name: &str) -> Option<String> {
    matches!(
        kind,
        Kind::Ref(_) | Kind::User | Kind::Stage | Kind::Pipeline
    )
    .then(|| name.trim_end_matches("_id").to_string())
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
