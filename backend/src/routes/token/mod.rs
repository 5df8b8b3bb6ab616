//! Token exchange (RFC 8693): a user token for a tenant-scoped token.

pub mod exchange;
