//! Keeps `document.title` in step with the page (screen readers announce it).

use yew::prelude::*;

#[hook]
pub fn use_page_title(title: String) {
    use_effect_with(title, |title| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&format!("{title} \u{00b7} Kyros"));
        }
    });
}
