//! An in-app link: a real `<a href>` (middle-click, copy link) that navigates without a
//! page load, with room for the data attributes end-to-end tests select on.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[derive(Properties, PartialEq)]
pub struct RouteLinkProps {
    pub to: Route,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Rendered as `data-slug`.
    #[prop_or_default]
    pub slug: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn RouteLink(props: &RouteLinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |event: MouseEvent| {
            let modified =
                event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key();
            if modified || event.button() != 0 {
                return;
            }
            if let Some(navigator) = &navigator {
                event.prevent_default();
                navigator.push(&to);
            }
        })
    };
    html! {
        <a
            href={props.to.to_path()}
            class={props.classes.clone()}
            id={props.id.clone()}
            data-slug={props.slug.clone()}
            {onclick}
        >
            { props.children.clone() }
        </a>
    }
}
