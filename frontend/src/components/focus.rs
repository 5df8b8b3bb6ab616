//! Moves keyboard focus to an element by id: the first field to fix, or the heading of
//! what replaced a form, so keyboard and screen-reader users land where the change is.

use wasm_bindgen::JsCast;

pub fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
