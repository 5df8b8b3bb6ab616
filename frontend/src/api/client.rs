//! The one request function: same-origin fetch with the session cookie, the CSRF header
//! on every non-GET call, status → [`ApiError`], and the "session refreshed" signal.
//!
//! The shell never sees a token: the session cookie is HttpOnly and sent by the browser.

use gloo_net::http::{Method, RequestBuilder, Response};
use kyros_common::error::Problem;
use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::RequestCredentials;
use yew::Callback;

use crate::api::error::ApiError;

/// The custom header the BFF requires on state-changing calls (CSRF defence).
pub const REQUESTED_WITH: (&str, &str) = ("X-Requested-With", "kyros-shell");
/// Set to `1` by the BFF when it silently re-exchanged the tenant-scoped token.
pub const SESSION_REFRESHED_HEADER: &str = "x-kyros-session-refreshed";

/// A handle on the BFF, provided to every page through a context.
///
/// It reports two cross-cutting events to the shell instead of leaving them to each
/// page: a refreshed session (toast) and a lost session (back to the login page).
#[derive(Clone, PartialEq)]
pub struct Api {
    on_session_refreshed: Callback<()>,
    on_auth_lost: Callback<ApiError>,
}

impl Api {
    pub fn new(on_session_refreshed: Callback<()>, on_auth_lost: Callback<ApiError>) -> Self {
        Self {
            on_session_refreshed,
            on_auth_lost,
        }
    }

    /// Sends one request; `json_body` is an already serialised JSON document.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        json_body: Option<String>,
    ) -> Result<Response, ApiError> {
        let mut builder = RequestBuilder::new(path)
            .method(method.clone())
            .credentials(RequestCredentials::SameOrigin)
            .header("Accept", "application/json, application/problem+json");
        if method != Method::GET && method != Method::HEAD {
            builder = builder.header(REQUESTED_WITH.0, REQUESTED_WITH.1);
        }
        let request = match json_body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body),
            None => builder.build(),
        }
        .map_err(|_| ApiError::Network)?;
        let response = request.send().await.map_err(|_| ApiError::Network)?;

        if response.headers().get(SESSION_REFRESHED_HEADER).as_deref() == Some("1") {
            self.on_session_refreshed.emit(());
        }
        if response.ok() {
            return Ok(response);
        }
        let problem = response.json::<Problem>().await.ok();
        let retry_after = response.headers().get("retry-after");
        let error =
            ApiError::from_response(response.status(), problem.as_ref(), retry_after.as_deref());
        if error.is_auth_lost() {
            self.on_auth_lost.emit(error.clone());
        }
        Err(error)
    }

    /// `GET` returning a JSON body.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let response = self.request(Method::GET, path, None).await?;
        decode(response).await
    }

    /// A state-changing call with a JSON body, returning a JSON body.
    pub async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let response = self.request(method, path, Some(encode(body)?)).await?;
        decode(response).await
    }

    /// A state-changing call whose success has no body (`204`).
    pub async fn send_no_content<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(), ApiError> {
        let json_body = body.map(encode).transpose()?;
        self.request(method, path, json_body).await.map(|_| ())
    }
}

fn encode<B: Serialize>(body: &B) -> Result<String, ApiError> {
    // Our request types always serialise; a failure means the request was never sent.
    serde_json::to_string(body).map_err(|_| ApiError::Network)
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    // A 2xx body that does not match the shared types is a server-side contract break.
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::Server { request_id: None })
}
