//! `/reset-password#token=…`: choose a new password with an emailed reset link.

use yew::prelude::*;

use crate::components::link_password_form::{LinkPasswordForm, LinkPurpose};
use crate::components::page_title::use_page_title;

#[component]
pub fn ResetPasswordPage() -> Html {
    use_page_title("Choose a new password".to_owned());
    html! { <LinkPasswordForm purpose={LinkPurpose::Reset} /> }
}
