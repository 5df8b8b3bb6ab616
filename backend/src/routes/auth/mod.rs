//! Sign-in and account flows for integrations and the shell's public pages.

pub mod invitations;
pub mod login;
pub mod password;
