//! Authentication: passwords, the signing key ring, JWTs and the request extractors.

pub mod extractor;
pub mod jwt;
pub mod keys;
pub mod password;
