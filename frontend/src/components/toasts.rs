//! The toast region: polite announcements that dismiss themselves.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::state::toast::{use_toasts, Toast, ToastAction, ToastKind};

const TOAST_MILLIS: u32 = 5_000;

#[component]
pub fn Toasts() -> Html {
    let toasts = use_toasts();
    let on_dismiss = {
        let dispatcher = toasts.dispatcher();
        Callback::from(move |id| dispatcher.dispatch(ToastAction::Dismiss(id)))
    };
    html! {
        <div id="toasts" class="toasts" role="status" aria-live="polite">
            { for toasts.toasts.iter().map(|toast| html! {
                <ToastItem key={toast.id} toast={toast.clone()} on_dismiss={on_dismiss.clone()} />
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ToastItemProps {
    toast: Toast,
    on_dismiss: Callback<u32>,
}

#[component]
fn ToastItem(props: &ToastItemProps) -> Html {
    let id = props.toast.id;
    {
        let on_dismiss = props.on_dismiss.clone();
        use_effect_with(id, move |id| {
            let id = *id;
            let timeout = Timeout::new(TOAST_MILLIS, move || on_dismiss.emit(id));
            move || drop(timeout)
        });
    }
    let onclick = {
        let on_dismiss = props.on_dismiss.clone();
        Callback::from(move |_: MouseEvent| on_dismiss.emit(id))
    };
    let kind = match props.toast.kind {
        ToastKind::Info => "toast-info",
        ToastKind::Error => "toast-error",
    };
    html! {
        <div class={classes!("toast", kind)}>
            <span class="toast-text">{ &props.toast.text }</span>
            <button class="toast-dismiss" type="button" aria-label="Dismiss notification" {onclick}>
                { "\u{00d7}" }
            </button>
        </div>
    }
}
