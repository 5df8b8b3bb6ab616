//! Short-lived notifications ("Session refreshed"), as a reducer shared through a context.

use std::rc::Rc;

use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub id: u32,
    pub kind: ToastKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ToastState {
    pub toasts: Vec<Toast>,
    next_id: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ToastAction {
    Show { kind: ToastKind, text: String },
    Dismiss(u32),
}

/// At most this many toasts are on screen; older ones make room.
const MAX_TOASTS: usize = 3;

impl ToastState {
    /// The pure transition; [`Reducible::reduce`] wraps it.
    pub fn next(mut self, action: ToastAction) -> Self {
        match action {
            ToastAction::Show { kind, text } => {
                // Several requests may report the same refresh: show it once.
                if self.toasts.iter().any(|t| t.text == text && t.kind == kind) {
                    return self;
                }
                self.next_id += 1;
                self.toasts.push(Toast {
                    id: self.next_id,
                    kind,
                    text,
                });
                let overflow = self.toasts.len().saturating_sub(MAX_TOASTS);
                self.toasts.drain(..overflow);
            }
            ToastAction::Dismiss(id) => self.toasts.retain(|t| t.id != id),
        }
        self
    }
}

impl Reducible for ToastState {
    type Action = ToastAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let next = (*self).clone().next(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

pub type ToastContext = UseReducerHandle<ToastState>;

#[derive(Properties, PartialEq)]
pub struct ToastProviderProps {
    pub children: Html,
}

#[component]
pub fn ToastProvider(props: &ToastProviderProps) -> Html {
    let toasts = use_reducer(ToastState::default);
    html! {
        <ContextProvider<ToastContext> context={toasts}>
            { props.children.clone() }
        </ContextProvider<ToastContext>>
    }
}

/// The toast context; [`ToastProvider`] is mounted at the root by the app.
#[hook]
pub fn use_toasts() -> ToastContext {
    use_context::<ToastContext>().expect("ToastProvider is mounted at the root of the app")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> ToastAction {
        ToastAction::Show {
            kind: ToastKind::Info,
            text: text.into(),
        }
    }

    #[test]
    fn the_same_message_is_shown_once() {
        let state = ToastState::default()
            .next(show("Session refreshed"))
            .next(show("Session refreshed"));
        assert_eq!(state.toasts.len(), 1);
    }

    #[test]
    fn dismissing_removes_only_that_toast_and_old_toasts_make_room() {
        let state = ToastState::default().next(show("a")).next(show("b"));
        let first = state.toasts[0].id;
        let state = state.next(ToastAction::Dismiss(first));
        assert_eq!(
            state
                .toasts
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
            ["b"]
        );
        let state = state.next(show("c")).next(show("d")).next(show("e"));
        assert_eq!(
            state
                .toasts
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
            ["c", "d", "e"]
        );
    }
}
