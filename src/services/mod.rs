//! Use cases that span tables, each one transaction (`db::write_tx`): a visit recorded, an
//! archive completed, a customer merged… Web handlers, API handlers, the CLI and the importer
//! all call these, so a rule is enforced in one place whatever the surface.
//!
//! Error policy (written once, in `web::error`): services return `ServiceError`, which says
//! what kind of failure it is so each surface can answer in its own way (an HTML form again, a
//! JSON error, an exit code).

pub mod absences;
pub mod access;
pub mod accounts;
pub mod advisors;
pub mod amend;
pub mod archive;
mod archive_sheet;
pub mod assign;
pub mod audit;
pub mod bulk_import;
pub mod call_form;
pub mod calls;
pub mod cover;
pub mod customers;
pub mod demo;
pub mod events;
pub mod exports;
pub mod import;
pub mod import_rows;
pub mod items;
pub mod letters;
pub mod merge;
pub mod privacy;
pub mod queue;
pub mod queue_cache;
pub mod queue_page;
pub mod sessions;
pub mod setup;
pub mod start;
pub mod stores;
pub mod summaries;
pub mod task_view;
pub mod visits;
pub mod win_back;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::role::Role;

/// What every use case needs besides the database: the clock and the settings.
#[derive(Clone)]
pub struct Ctx {
    pub clock: Clock,
    pub config: std::sync::Arc<Config>,
}

impl Ctx {
    pub fn cadence(&self) -> &crate::domain::cadence::Cadence {
        &self.config.settings.cadence
    }
}

/// Who acts: a signed-in user, a token's user, or the command line (with admin rights).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub name: String,
    pub role: Role,
    pub store_id: Option<i32>,
    pub ip: Option<String>,
}

impl Actor {
    /// The command line acts as an administrator across all stores (CONTRACT.md).
    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            name: "cli".into(),
            role: Role::Admin,
            store_id: None,
            ip: None,
        }
    }

    /// A stored user acting outside a request (the demo's shop at work); an unknown role is
    /// an error, not a guess.
    pub fn of_user(u: &crate::models::user::User) -> anyhow::Result<Actor> {
        Ok(Actor {
            user_id: Some(u.id),
            name: u.username.clone(),
            role: u.role,
            store_id: u.store_id,
            ip: None,
        })
    }

    /// Whether this actor may act in `store_id`: users of a store only there; users without
    /// a store (admins, auditors of the group) everywhere.
    pub fn in_store(&self, store_id: i32) -> bool {
        self.store_id.is_none_or(|s| s == store_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found: {0}")]
    NotFound(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// The thing changed or is in a state that forbids this (answered 409).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<FieldErrors> for ServiceError {
    fn from(e: FieldErrors) -> Self {
        ServiceError::Invalid(e)
    }
}

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> Self {
        ServiceError::Invalid(e.into())
    }
}

pub type SResult<T> = Result<T, ServiceError>;
