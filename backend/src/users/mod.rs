//! People: the user lifecycle. Operators manage the directory (`directory`), tenant
//! admins manage their own tenant's members (`members`), invitation and reset links
//! are single-use tokens stored as hashes (`links`), passwords follow one policy
//! (`passwords`), and erasure removes a person's data (`erasure`).

mod directory;
mod erasure;
mod links;
mod members;
mod passwords;
mod policy;
mod service;

pub use directory::DirectoryQuery;
pub use policy::PasswordPolicy;
pub use service::{Users, UsersDeps, UsersError};
