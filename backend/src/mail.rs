//! Outgoing mail through one outbox.
//!
//! Every message is written to the `outbox` table — in the same transaction as the
//! change that causes it (an invitation, a password reset), so nothing is lost and
//! nothing is sent for a change that did not happen. Then:
//! - with `KYROS_SMTP_URL`, a delivery task sends pending messages with lettre,
//!   retrying with back-off; a delivered message's body is dropped from the table (the
//!   links it carried must not stay readable);
//! - without it (the embedded default), the message is written to the log and stays in
//!   the outbox for an operator to read (`GET /admin/outbox`), so the demo works offline.

use std::sync::Arc;
use std::time::Duration;

use kyros_common::api::users::Page;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use serde::Serialize;
use tokio::sync::Notify;
use uuid::Uuid;

use crate::config::AccountSettings;
use crate::store::outbox::{self, OutboxRow};
use crate::store::{Db, DbConnection, StoreError, StoreResult};

/// How often the delivery task looks for work when nobody woke it.
const POLL: Duration = Duration::from_secs(5);
/// Attempts before a message is given up as failed.
const MAX_ATTEMPTS: i32 = 6;

/// Why mail could not be set up or read.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid KYROS_SMTP_URL: {0}")]
    Smtp(String),
    #[error("invalid KYROS_MAIL_FROM: {0}")]
    From(String),
    #[error("{0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// An outbox entry as operators read it.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxMessage {
    pub id: String,
    pub created_at: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub sent_at: Option<String>,
}

impl From<OutboxRow> for OutboxMessage {
    fn from(r: OutboxRow) -> Self {
        OutboxMessage {
            id: r.id,
            created_at: r.created_at.and_utc().to_rfc3339(),
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            sent_at: r.sent_at.map(|t| t.and_utc().to_rfc3339()),
        }
    }
}

pub struct Mailer {
    db: Db,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    wake: Notify,
}

impl Mailer {
    pub fn new(settings: &AccountSettings, db: Db) -> Result<Self, MailError> {
        let transport = settings
            .smtp_url
            .as_ref()
            .map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map(|builder| builder.timeout(Some(Duration::from_secs(10))).build())
                    .map_err(|e| MailError::Smtp(e.to_string()))
            })
            .transpose()?;
        let from = settings
            .mail_from
            .parse::<Mailbox>()
            .map_err(|e| MailError::From(e.to_string()))?;
        Ok(Mailer {
            db,
            transport,
            from,
            wake: Notify::new(),
        })
    }

    /// Whether messages are delivered over SMTP (else logged).
    pub fn delivers(&self) -> bool {
        self.transport.is_some()
    }

    /// Writes `mail` to the outbox on `conn` (inside the caller's transaction). Call
    /// [`Mailer::dispatched`] with the returned id once that transaction committed.
    pub fn enqueue(&self, conn: &mut DbConnection, mail: &Mail) -> StoreResult<String> {
        let id = Uuid::new_v4().to_string();
        let status = if self.delivers() { "pending" } else { "logged" };
        outbox::insert(conn, &id, &mail.to, &mail.subject, &mail.body, status)?;
        Ok(id)
    }

    /// After the transaction that enqueued `mail` committed: logs it (embedded default)
    /// or wakes the delivery task.
    pub fn dispatched(&self, mail: &Mail) {
        if self.delivers() {
            self.wake.notify_one();
        } else {
            tracing::info!(
                target: "kyros::mail",
                to = %mail.to,
                subject = %mail.subject,
                body = %mail.body,
                "mail (no KYROS_SMTP_URL: logged and kept in the outbox, GET /admin/outbox)"
            );
        }
    }

    /// Delivers pending messages until the process ends (only with SMTP).
    pub fn spawn_delivery(self: &Arc<Self>) {
        if !self.delivers() {
            return;
        }
        let mailer = Arc::clone(self);
        actix_web::rt::spawn(async move {
            loop {
                if let Err(e) = mailer.deliver_pending().await {
                    tracing::warn!(error = %e, "mail delivery round failed");
                }
                let _ = actix_web::rt::time::timeout(POLL, mailer.wake.notified()).await;
            }
        });
    }

    async fn deliver_pending(&self) -> Result<(), MailError> {
        let Some(transport) = &self.transport else {
            return Ok(());
        };
        let stuck_before = crate::store::now() - chrono::Duration::minutes(10);
        let pending = self
            .db
            .run(move |conn| {
                outbox::requeue_stuck(conn, stuck_before)?;
                outbox::pending(conn, 50)
            })
            .await?;
        for row in pending {
            let id = row.id.clone();
            if !self.db.run(move |conn| outbox::claim(conn, &id)).await? {
                continue; // another instance took it
            }
            let outcome = match self.message(&row) {
                Ok(message) => transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let (status, error) = match outcome {
                Ok(()) => ("sent", String::new()),
                Err(e) if row.attempts + 1 >= MAX_ATTEMPTS => ("failed", e),
                Err(e) => ("pending", e),
            };
            if !error.is_empty() {
                tracing::warn!(target: "kyros::mail", id = %row.id, attempts = row.attempts + 1, error = %error, "mail not delivered");
            }
            let id = row.id.clone();
            self.db
                .run(move |conn| outbox::finish(conn, &id, status, &error))
                .await?;
            if status == "pending" {
                // Back off before the next round rather than hammering a failing server.
                actix_web::rt::time::sleep(Duration::from_secs(
                    2u64.pow(row.attempts.clamp(0, 5) as u32),
                ))
                .await;
            }
        }
        Ok(())
    }

    fn message(&self, row: &OutboxRow) -> Result<Message, String> {
        let to = row
            .recipient
            .parse::<Mailbox>()
            .map_err(|e| e.to_string())?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone())
            .body(row.body.clone())
            .map_err(|e| e.to_string())
    }

    /// The outbox, newest first, optionally for one recipient.
    pub async fn list(
        &self,
        recipient: Option<String>,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<OutboxMessage>, MailError> {
        let limit = match limit {
            None => 50,
            Some(n) if (1..=500).contains(&n) => n,
            Some(_) => return Err(MailError::Invalid("limit must be between 1 and 500")),
        };
        let before = cursor.map(decode_cursor).transpose()?;
        let rows = self
            .db
            .run(move |conn| outbox::list(conn, recipient.as_deref(), before, limit + 1))
            .await?;
        let more = rows.len() as i64 > limit;
        let items: Vec<OutboxMessage> = rows
            .into_iter()
            .take(limit as usize)
            .map(OutboxMessage::from)
            .collect();
        let next_cursor = more
            .then(|| items.last().map(|m| encode_cursor(&m.created_at, &m.id)))
            .flatten();
        Ok(Page { items, next_cursor })
    }
}

fn encode_cursor(at: &str, id: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{at}|{id}"))
}

fn decode_cursor(raw: &str) -> Result<(chrono::NaiveDateTime, String), MailError> {
    use base64::Engine as _;
    let invalid = || MailError::Invalid("cursor is invalid");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw.as_bytes())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (at, id) = text.split_once('|').ok_or_else(invalid)?;
    let at = chrono::DateTime::parse_from_rfc3339(at).map_err(|_| invalid())?;
    Ok((at.naive_utc(), id.to_owned()))
}
