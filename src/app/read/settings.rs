//! Reading the settings pages: mail, the audit log, the team, API tokens, pipelines, labels
//! and custom fields.

use crate::app::Tenant;
use crate::config::SmtpConfig;
use crate::domain::audit::AuditEntry;
use crate::domain::custom::CustomField;
use crate::domain::ids::{LabelId, PipelineId, StageId, UserId};
use crate::domain::label::Label;
use crate::domain::link::Link;
use crate::domain::outbox::MailStatus;
use crate::domain::pipeline::{Pipeline, Stage};
use crate::domain::token::ApiToken;
use crate::domain::user::User;
use crate::error::{Error, Result};
use crate::store::crm::{custom_fields, labels, pipelines};
use crate::store::{account, audit, links, outbox, tokens, users};

/// The workspace's own mail settings, if it has them.
pub fn mail_settings(tenant: &Tenant) -> Result<Option<SmtpConfig>> {
    account::mail_settings(&*tenant.db.conn()?, 0)
}

/// The mail settings and the latest mail of the outbox.
pub fn mail_page(tenant: &Tenant, recent: i64) -> Result<(Option<SmtpConfig>, Vec<MailStatus>)> {
    let conn = tenant.db.conn()?;
    Ok((
        account::mail_settings(&conn, 0)?,
        outbox::recent(&conn, recent)?,
    ))
}

/// The latest entries of the audit log.
pub fn audit_log(tenant: &Tenant, limit: i64) -> Result<Vec<AuditEntry>> {
    audit::recent(&*tenant.db.conn()?, limit)
}

/// The team and the invitations still open at `now`.
pub fn team(tenant: &Tenant, now: &str) -> Result<(Vec<User>, Vec<Link>)> {
    let conn = tenant.db.conn()?;
    Ok((users::list(&conn)?, links::pending_invitations(&conn, now)?))
}

/// API tokens: one user's, or everyone's.
pub fn tokens(tenant: &Tenant, owner: Option<UserId>) -> Result<Vec<ApiToken>> {
    tokens::list(&*tenant.db.conn()?, owner)
}

pub fn pipelines(tenant: &Tenant) -> Result<Vec<Pipeline>> {
    pipelines::list(&*tenant.db.conn()?)
}

pub fn pipeline(tenant: &Tenant, id: PipelineId) -> Result<Option<Pipeline>> {
    pipelines::get(&*tenant.db.conn()?, id)
}

/// A stage, its pipeline and how many deals are in it, for confirming its removal.
pub fn stage_to_delete(tenant: &Tenant, id: StageId) -> Result<(Stage, Pipeline, usize)> {
    let conn = tenant.db.conn()?;
    let stage = pipelines::stage_by_id(&conn, id)?.ok_or(Error::NotFound)?;
    let pipeline = pipelines::get(&conn, stage.pipeline_id)?.ok_or(Error::NotFound)?;
    let deals = pipelines::deals_in_stage(&conn, stage.id)?.len();
    Ok((stage, pipeline, deals))
}

pub fn labels(tenant: &Tenant) -> Result<Vec<Label>> {
    labels::list(&*tenant.db.conn()?)
}

pub fn label(tenant: &Tenant, id: LabelId) -> Result<Option<Label>> {
    labels::get(&*tenant.db.conn()?, id)
}

/// Custom fields of every kind of record.
pub fn custom_fields(tenant: &Tenant) -> Result<Vec<CustomField>> {
    custom_fields::all(&*tenant.db.conn()?)
}
