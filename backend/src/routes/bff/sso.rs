//! `GET /bff/sso/start?email=…|provider=…&next=…` → 302 to the identity provider;
//! `GET /bff/sso/callback` → 302 to `next`, signed in.
//!
//! A refused sign-in answers a browser (it accepts `text/html`) with a 302 to the login
//! page and the reason as `?sso_error=<code>`, and anyone else with the 4xx problem+json.
//! Either way no session is made and the pending sign-in's cookie is removed.

use actix_session::Session;
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde::Deserialize;

use crate::error::ApiError;
use crate::http::extract::LoginThrottle;
use crate::http::identity;
use crate::sso::{Callback, StartHint, FLOW_COOKIE, FLOW_TTL_SECS};
use crate::state::SharedState;

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    email: Option<String>,
    provider: Option<String>,
    next: Option<String>,
}

fn flow_cookie(value: String, max_age: Duration) -> Cookie<'static> {
    Cookie::build(FLOW_COOKIE, value)
        .path("/")
        .secure(true)
        .http_only(true)
        // Lax: the browser must send it when the provider redirects back (a cross-site
        // top-level GET); the session cookie itself stays Strict.
        .same_site(SameSite::Lax)
        .max_age(max_age)
        .finish()
}

fn removal() -> Cookie<'static> {
    flow_cookie(String::new(), Duration::ZERO)
}

fn wants_html(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// A refused sign-in: the login page with the reason for a browser, else problem+json.
fn refused(req: &HttpRequest, error: ApiError) -> HttpResponse {
    let mut response = if wants_html(req) && error.status_code().is_client_error() {
        HttpResponse::Found()
            .insert_header((
                header::LOCATION,
                format!("/login?sso_error={}", error.code().as_str()),
            ))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish()
    } else {
        error.error_response()
    };
    let _ = response.add_cookie(&removal());
    response
}

pub async fn bff_sso_start(
    state: SharedState,
    _throttle: LoginThrottle,
    req: HttpRequest,
    query: web::Query<StartQuery>,
) -> HttpResponse {
    let StartQuery {
        email,
        provider,
        next,
    } = query.into_inner();
    let hint = match (email, provider) {
        (Some(email), None) if !email.is_empty() && email.len() <= 320 => StartHint::Email(email),
        (None, Some(provider)) if !provider.is_empty() => StartHint::Provider(provider),
        _ => return refused(&req, ApiError::bad_request("give either email or provider")),
    };
    match state.bff.sso_start(hint, next.as_deref()).await {
        Ok(start) => HttpResponse::Found()
            .insert_header((header::LOCATION, start.location))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .cookie(flow_cookie(start.cookie, Duration::seconds(FLOW_TTL_SECS)))
            .finish(),
        Err(e) => refused(&req, e.into()),
    }
}

pub async fn bff_sso_callback(
    state: SharedState,
    _throttle: LoginThrottle,
    req: HttpRequest,
    session: Session,
    query: web::Query<Callback>,
) -> HttpResponse {
    let cookie = req.cookie(FLOW_COOKIE).map(|c| c.value().to_owned());
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    match state
        .bff
        .sso_callback(session, cookie.as_deref(), query.into_inner(), &user_agent)
        .await
    {
        Ok((user, next)) => {
            identity::record(&req, &user.claims.sub, None);
            let mut response = HttpResponse::Found()
                .insert_header((header::LOCATION, next))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .finish();
            let _ = response.add_cookie(&removal());
            response
        }
        Err(e) => refused(&req, e.into()),
    }
}
