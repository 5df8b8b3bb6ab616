//! `POST /bff/logout`: destroys the server-side session.

use actix_session::Session;
use actix_web::HttpResponse;

use crate::audit::{self, AuditEntryExt};
use crate::auth::extractor::UserAuth;
use crate::state::SharedState;

pub async fn bff_logout(state: SharedState, session: Session) -> HttpResponse {
    let token = session.get::<String>("user_token").ok().flatten();
    session.purge();
    if let Some(token) = token {
        if let Ok(user) = UserAuth::from_token(&state, &token).await {
            let e = audit::entry(
                "logout",
                "success",
                user.claims.email.clone(),
                user.claims.email.clone(),
            )
            .user(Some(user.user_id));
            audit::record(&state, e).await;
        }
    }
    HttpResponse::NoContent().finish()
}
