//! Outgoing mail (`outbox`): every message is written here first, then delivered by the
//! mailer (SMTP) or, without SMTP, logged for the operator (`GET /admin/outbox`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::outbox;
use super::{DbConnection, StoreResult};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub created_at: NaiveDateTime,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub sent_at: Option<NaiveDateTime>,
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    status: &str,
) -> StoreResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(id),
            outbox::created_at.eq(super::now()),
            outbox::recipient.eq(recipient),
            outbox::subject.eq(subject),
            outbox::body.eq(body),
            outbox::status.eq(status),
        ))
        .execute(conn)?;
    Ok(())
}

/// Messages waiting for delivery, oldest first.
pub fn pending(conn: &mut DbConnection, limit: i64) -> StoreResult<Vec<OutboxRow>> {
    Ok(outbox::table
        .filter(outbox::status.eq("pending"))
        .order(outbox::created_at.asc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// Claims a pending message for delivery; of two instances exactly one gets it.
pub fn claim(conn: &mut DbConnection, id: &str) -> StoreResult<bool> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq("pending")),
    )
    .set((
        outbox::status.eq("sending"),
        outbox::attempts.eq(outbox::attempts + 1),
    ))
    .execute(conn)?
        > 0)
}

/// Records the outcome of a delivery attempt. A delivered message loses its body: a
/// link it carried must not stay readable in the database.
pub fn finish(conn: &mut DbConnection, id: &str, status: &str, error: &str) -> StoreResult<()> {
    let delivered = status == "sent";
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(status),
            outbox::last_error.eq(error),
            outbox::sent_at.eq(delivered.then(super::now)),
        ))
        .execute(conn)?;
    if delivered {
        diesel::update(outbox::table.find(id))
            .set(outbox::body.eq("(delivered; the body is not kept)"))
            .execute(conn)?;
    }
    Ok(())
}

/// Newest first, after the cursor `(created_at, id)`.
pub fn list(
    conn: &mut DbConnection,
    recipient: Option<&str>,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> StoreResult<Vec<OutboxRow>> {
    let mut query = outbox::table.into_boxed();
    if let Some(recipient) = recipient {
        query = query.filter(outbox::recipient.eq(recipient.to_owned()));
    }
    if let Some((at, id)) = before {
        query = query.filter(
            outbox::created_at
                .lt(at)
                .or(outbox::created_at.eq(at).and(outbox::id.lt(id))),
        );
    }
    Ok(query
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// Removes every message to `recipient` (erasure).
pub fn delete_for(conn: &mut DbConnection, recipient: &str) -> StoreResult<usize> {
    Ok(diesel::delete(outbox::table.filter(outbox::recipient.eq(recipient))).execute(conn)?)
}

/// Puts messages stuck in `sending` (an instance died mid-delivery) back in the queue.
pub fn requeue_stuck(conn: &mut DbConnection, before: NaiveDateTime) -> StoreResult<usize> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::status.eq("sending"))
            .filter(outbox::created_at.lt(before)),
    )
    .set(outbox::status.eq("pending"))
    .execute(conn)?)
}
