//! What a view shows when its data could not be loaded, with a retry when it may help.

use yew::prelude::*;

use crate::api::ApiError;

#[derive(Properties, PartialEq)]
pub struct ErrorStateProps {
    pub error: ApiError,
    /// Offered for transient failures (network, server, rate limit).
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

#[component]
pub fn ErrorState(props: &ErrorStateProps) -> Html {
    let retryable = matches!(
        props.error,
        ApiError::Network | ApiError::Server { .. } | ApiError::RateLimited { .. }
    );
    let retry = props
        .on_retry
        .clone()
        .filter(|_| retryable)
        .map(|on_retry| {
            let onclick = Callback::from(move |_: MouseEvent| on_retry.emit(()));
            html! { <button class="button" type="button" {onclick}>{ "Try again" }</button> }
        });
    html! {
        <div class="error-state" role="alert">
            <p>{ props.error.message() }</p>
            { for retry }
        </div>
    }
}
