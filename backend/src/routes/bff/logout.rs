//! `POST /bff/logout`: destroys the server-side session.

use actix_session::Session;
use actix_web::HttpResponse;

use crate::state::SharedState;

pub async fn bff_logout(state: SharedState, session: Session) -> HttpResponse {
    state.bff.logout(session).await;
    HttpResponse::NoContent().finish()
}
