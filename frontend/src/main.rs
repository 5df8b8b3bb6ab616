//! Kyros browser shell: a Yew single-page app talking to the BFF with a session cookie.

mod api;
mod app;
mod components;
mod pages;
mod state;
mod theme;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
