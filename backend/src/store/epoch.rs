//! `metadata_epoch`: a counter every change to tenancy metadata increments.
//!
//! Tenants (activity, settings), users (activity), memberships and dashboard
//! definitions and assignments are remembered in memory by each instance
//! (`tenancy::cache`); the instances poll this counter and drop what they remember when
//! it moves. Every writer of that metadata in this module's siblings calls [`bump`] on
//! the connection (and so in the transaction) it writes with.

use diesel::prelude::*;

use super::schema::metadata_epoch;
use super::{DbConnection, StoreResult};

/// Marks tenancy metadata as changed.
pub fn bump(conn: &mut DbConnection) -> StoreResult<()> {
    diesel::update(metadata_epoch::table.find(1))
        .set(metadata_epoch::epoch.eq(metadata_epoch::epoch + 1))
        .execute(conn)?;
    Ok(())
}

/// The counter's current value.
pub fn current(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(metadata_epoch::table
        .find(1)
        .select(metadata_epoch::epoch)
        .first(conn)?)
}
