//! `/invite#token=…`: accept an invitation by choosing a password (and, optionally, a name).

use yew::prelude::*;

use crate::components::link_password_form::{LinkPasswordForm, LinkPurpose};
use crate::components::page_title::use_page_title;

#[component]
pub fn InvitePage() -> Html {
    use_page_title("Accept your invitation".to_owned());
    html! { <LinkPasswordForm purpose={LinkPurpose::Invitation} /> }
}
