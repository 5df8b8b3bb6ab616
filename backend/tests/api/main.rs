//! API integration tests: the real application on port 0, a fresh database per test,
//! every test run against SQLite and against PostgreSQL.

mod helpers;
mod keys;

/// Runs each listed `async fn(TestApp)` once against SQLite and once against PostgreSQL.
macro_rules! matrix {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name(crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await).await
                }
                #[actix_web::test]
                async fn postgres() {
                    super::$name(crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await).await
                }
            }
        )*
    };
}

mod admin;
mod bff;
mod counterparts;
mod dashboards;
mod errors;
mod exchange;
mod faults;
mod login;
mod mail;
mod mfa;
mod rls;
mod route_walk;
mod shell;
mod sso;
mod tenant_routes;
mod tls;
mod tokens;
mod users;
