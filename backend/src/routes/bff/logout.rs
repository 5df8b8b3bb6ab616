//! `POST /bff/logout`: destroys the server-side session.

use actix_session::Session;
use actix_web::HttpResponse;

pub async fn bff_logout(session: Session) -> HttpResponse {
    session.purge();
    HttpResponse::NoContent().finish()
}
