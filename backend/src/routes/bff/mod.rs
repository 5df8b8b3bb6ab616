//! `/bff/*`: the browser shell's API. Cookie session; tokens never leave the server.

pub mod account;
pub mod dashboard;
pub mod dashboards;
pub mod export;
pub mod login;
pub mod logout;
pub mod me;
pub mod people;
pub mod sso;
pub mod tenant;

use actix_web::HttpResponse;

pub fn ok_json<T: serde::Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok().json(value)
}
