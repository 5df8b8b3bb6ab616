//! `GET /.well-known/jwks.json`: the public keys that verify Kyros tokens now (with
//! `KYROS_SIGNING_ALG=EdDSA` or `RS256`; an HS256 ring publishes none), so integrations
//! verify tokens offline. A rotated-out key leaves the set when its grace period ends.

use actix_web::http::header;
use actix_web::HttpResponse;

use crate::state::SharedState;

pub async fn jwks(state: SharedState) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .content_type("application/jwk-set+json")
        .json(state.auth.tokens().keys().jwks())
}
