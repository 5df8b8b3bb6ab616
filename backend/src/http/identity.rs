//! Who and which tenant a request acted for, filled in by the extractors so the access
//! log can name them. Never holds a token.

use std::cell::RefCell;

use actix_web::{HttpMessage, HttpRequest};

#[derive(Debug, Default, Clone)]
pub struct LogIdentity {
    pub sub: Option<String>,
    pub tenant: Option<String>,
}

/// Records the identity of the caller for the access log.
pub fn record(req: &HttpRequest, sub: &str, tenant: Option<&str>) {
    let mut ext = req.extensions_mut();
    match ext.get_mut::<RefCell<LogIdentity>>() {
        Some(cell) => {
            let mut identity = cell.borrow_mut();
            identity.sub = Some(sub.to_owned());
            if let Some(t) = tenant {
                identity.tenant = Some(t.to_owned());
            }
        }
        None => {
            ext.insert(RefCell::new(LogIdentity {
                sub: Some(sub.to_owned()),
                tenant: tenant.map(str::to_owned),
            }));
        }
    }
}

/// The identity recorded for a request so far.
pub fn of(req: &HttpRequest) -> LogIdentity {
    req.extensions()
        .get::<RefCell<LogIdentity>>()
        .map(|c| c.borrow().clone())
        .unwrap_or_default()
}
