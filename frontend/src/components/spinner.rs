//! A loading indicator announced to screen readers.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SpinnerProps {
    #[prop_or(AttrValue::Static("Loading…"))]
    pub label: AttrValue,
}

#[component]
pub fn Spinner(props: &SpinnerProps) -> Html {
    html! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span class="loading-label">{ props.label.clone() }</span>
        </div>
    }
}
