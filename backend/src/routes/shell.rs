//! The built Yew shell (Trunk's `dist/`), served at `/` with a single-page-app fallback:
//! any GET that is not an API path and not a file gets `index.html`, so deep links such
//! as `/dashboards/risk-analysis` load the shell. Other methods never reach it (the
//! application's 404 answers them).

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::guard;
use actix_web::http::Method;
use actix_web::ResponseError;

use crate::error::ApiError;

/// Where the shell is: `KYROS_STATIC_DIR`, else a `dist/` next to the executable or up to
/// two levels above it (`target/release/kyros` → `<repo>/dist`). Never the working directory.
pub fn locate(configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = configured {
        return Some(dir.to_path_buf());
    }
    let exe = std::env::current_exe().ok()?;
    let mut dir = exe.parent()?.to_path_buf();
    for _ in 0..3 {
        let candidate = dir.join("dist");
        if candidate.join("index.html").is_file() {
            return Some(candidate);
        }
        dir = dir.parent()?.to_path_buf();
    }
    None
}

fn is_api_path(path: &str) -> bool {
    ["/api", "/bff", "/admin", "/metrics"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The static-file service with SPA fallback, for GET and HEAD only.
pub fn service(dir: PathBuf) -> Files {
    let index = dir.join("index.html");
    Files::new("/", dir)
        .guard(guard::Any(guard::Get()).or(guard::Head()))
        .index_file("index.html")
        .prefer_utf8(true)
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let wants_page =
                    matches!(*req.method(), Method::GET | Method::HEAD) && !is_api_path(req.path());
                if wants_page {
                    if let Ok(file) = NamedFile::open(&index) {
                        let response = file.into_response(&req);
                        return Ok(ServiceResponse::new(req, response));
                    }
                }
                let response = ApiError::not_found("no such resource").error_response();
                Ok(ServiceResponse::new(req, response))
            }
        }))
}
