//! Filter controls built from the dashboard spec: a checkbox group per multi-select,
//! two month inputs per date range, two number inputs per number range; Apply and Reset.
//!
//! Controlled: the draft lives in the dashboard page's reducer, edits go up as
//! [`FilterEdit`]s.

use kyros_common::api::dashboards::{FilterDef, FilterKind, FilterState};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::filters::{self, Bound, FilterEdit};

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    pub defs: Vec<FilterDef>,
    pub draft: FilterState,
    /// True when the draft differs from the applied filters.
    pub dirty: bool,
    pub busy: bool,
    pub problems: Vec<String>,
    pub on_edit: Callback<FilterEdit>,
    pub on_apply: Callback<()>,
    pub on_reset: Callback<()>,
}

#[component]
pub fn FilterBar(props: &FilterBarProps) -> Html {
    if props.defs.is_empty() {
        return html! {};
    }
    let onsubmit = {
        let on_apply = props.on_apply.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_apply.emit(());
        })
    };
    let onreset = {
        let on_reset = props.on_reset.clone();
        Callback::from(move |event: Event| {
            event.prevent_default();
            on_reset.emit(());
        })
    };
    html! {
        <form id="filter-bar" class="filter-bar" aria-label="Filters" novalidate=true {onsubmit} {onreset}>
            <div class="filter-controls">
                { for props.defs.iter().map(|def| control(def, &props.draft, &props.on_edit)) }
            </div>
            if !props.problems.is_empty() {
                <ul id="filter-problems" class="form-error" role="alert">
                    { for props.problems.iter().map(|p| html! { <li>{ p }</li> }) }
                </ul>
            }
            <div class="filter-actions">
                <button id="filters-apply" class="button primary" type="submit" disabled={props.busy}>
                    { if props.dirty { "Apply filters" } else { "Apply" } }
                </button>
                <button id="filters-reset" class="button" type="reset" disabled={props.busy}>
                    { "Reset" }
                </button>
            </div>
        </form>
    }
}

fn control(def: &FilterDef, draft: &FilterState, on_edit: &Callback<FilterEdit>) -> Html {
    match def.kind {
        FilterKind::MultiSelect => multi_select(def, draft, on_edit),
        FilterKind::DateRange => range(def, draft, on_edit, "month"),
        FilterKind::NumberRange => range(def, draft, on_edit, "number"),
    }
}

fn multi_select(def: &FilterDef, draft: &FilterState, on_edit: &Callback<FilterEdit>) -> Html {
    html! {
        <fieldset class="filter filter-multi" data-field={def.field.clone()}>
            <legend>{ &def.label }</legend>
            <div class="checkbox-group">
                { for def.options.iter().enumerate().map(|(index, option)| {
                    let id = format!("filter-{}-{index}", def.field);
                    let onchange = {
                        let on_edit = on_edit.clone();
                        let edit = FilterEdit::Toggle { field: def.field.clone(), value: option.clone() };
                        Callback::from(move |_: Event| on_edit.emit(edit.clone()))
                    };
                    html! {
                        <label class="checkbox" for={id.clone()}>
                            <input
                                type="checkbox"
                                {id}
                                name={def.field.clone()}
                                value={option.clone()}
                                checked={filters::is_selected(draft, &def.field, option)}
                                {onchange}
                            />
                            <span>{ option }</span>
                        </label>
                    }
                }) }
            </div>
        </fieldset>
    }
}

fn range(
    def: &FilterDef,
    draft: &FilterState,
    on_edit: &Callback<FilterEdit>,
    input_type: &'static str,
) -> Html {
    let is_month = input_type == "month";
    let shown = |value: String| {
        if is_month {
            filters::month_input_value(&value)
        } else {
            value
        }
    };
    let limit = |value: &Option<String>| value.clone().map(&shown).filter(|v| !v.is_empty());
    let (min, max) = (limit(&def.min), limit(&def.max));
    let bound_input = |bound: Bound, caption: &'static str| {
        let id = format!(
            "filter-{}-{}",
            def.field,
            match bound {
                Bound::From => "from",
                Bound::To => "to",
            }
        );
        // `change`, not `input`: a half-typed number ("0.") must not be written back.
        let onchange = {
            let on_edit = on_edit.clone();
            let field = def.field.clone();
            Callback::from(move |event: Event| {
                let value = event.target_unchecked_into::<HtmlInputElement>().value();
                on_edit.emit(FilterEdit::SetBound {
                    field: field.clone(),
                    bound,
                    value,
                });
            })
        };
        html! {
            <div class="range-bound">
                <label for={id.clone()}>{ caption }</label>
                <input
                    type={input_type}
                    {id}
                    name={format!("{}_{}", def.field, caption.to_lowercase())}
                    step={(!is_month).then_some("any")}
                    inputmode={(!is_month).then_some("decimal")}
                    min={min.clone()}
                    max={max.clone()}
                    value={shown(filters::bound_value(draft, &def.field, bound))}
                    {onchange}
                />
            </div>
        }
    };
    html! {
        <fieldset class={classes!("filter", "filter-range", if is_month { "filter-date" } else { "filter-number" })} data-field={def.field.clone()}>
            <legend>{ &def.label }</legend>
            <div class="range-inputs">
                { bound_input(Bound::From, "From") }
                { bound_input(Bound::To, "To") }
            </div>
        </fieldset>
    }
}
