//! The token of an invitation or reset link (`/invite#token=…`): read once from the URL
//! fragment, and at once removed from the address bar (and this history entry), so it
//! does not linger in the history, a bookmark or a screenshot.

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::state::account::token_from_fragment;

/// The link's token, `None` when the URL has none (or one that cannot be valid).
#[hook]
pub fn use_link_token() -> Option<String> {
    // The initialiser runs once per mount: read the fragment, then forget it.
    let token = use_state(take_fragment_token);
    (*token).clone()
}

fn take_fragment_token() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    if hash.is_empty() {
        return None;
    }
    if let (Ok(path), Ok(query), Ok(history)) =
        (location.pathname(), location.search(), window.history())
    {
        // The router keeps its own marker in the entry's state: keep it.
        let state = history.state().unwrap_or(JsValue::NULL);
        let _ = history.replace_state_with_url(&state, "", Some(&format!("{path}{query}")));
    }
    token_from_fragment(&hash)
}
