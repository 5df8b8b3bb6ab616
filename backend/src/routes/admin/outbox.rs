//! `GET /admin/outbox?recipient=&cursor=&limit=`: outgoing mail, newest first (without
//! SMTP, where an operator finds invitation and reset links).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::AdminAuth;
use crate::error::ApiError;
use crate::state::SharedState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxParams {
    #[serde(default)]
    pub recipient: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

pub async fn list_outbox(
    state: SharedState,
    _admin: AdminAuth,
    query: web::Query<OutboxParams>,
) -> Result<HttpResponse, ApiError> {
    let OutboxParams {
        recipient,
        cursor,
        limit,
    } = query.into_inner();
    let recipient = recipient.map(|r| r.trim().to_lowercase());
    Ok(HttpResponse::Ok().json(
        state
            .mailer
            .list(recipient, cursor.as_deref(), limit)
            .await?,
    ))
}
