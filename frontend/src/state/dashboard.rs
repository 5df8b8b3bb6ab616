//! The dashboard page as a reducer: spec and saved filters, the filter draft the user
//! edits, the applied filters, and the charts computed for them.
//!
//! Every charts request gets a generation number; a response for an older generation
//! (the user applied again meanwhile) is dropped, so late answers never overwrite
//! newer ones.

use std::rc::Rc;

use kyros_common::api::dashboards::{DashboardCharts, DashboardDetail, FilterState};
use yew::Reducible;

use crate::api::ApiError;
use crate::state::fetch::FetchState;
use crate::state::filters::{self, FilterEdit};

/// What the page should fetch for the current generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChartsRequest {
    /// 0 = nothing requested yet.
    pub generation: u32,
    /// True when the user applied or reset filters: also save them as preferences.
    pub save_preferences: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DashboardState {
    pub detail: FetchState<Rc<DashboardDetail>>,
    /// The selection shown in the filter bar (not yet applied).
    pub draft: FilterState,
    /// The selection the charts (and CSV links) are computed for.
    pub applied: FilterState,
    pub charts: FetchState<Rc<DashboardCharts>>,
    pub request: ChartsRequest,
    /// A charts request is in flight (earlier charts may still be shown).
    pub refreshing: bool,
    /// Why the draft cannot be applied.
    pub problems: Vec<String>,
}

impl Default for DashboardState {
    fn default() -> Self {
        Self {
            detail: FetchState::Loading,
            draft: FilterState::default(),
            applied: FilterState::default(),
            charts: FetchState::Loading,
            request: ChartsRequest::default(),
            refreshing: false,
            problems: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DashboardAction {
    /// The dashboard (or the tenant) changed: start over.
    Reload,
    DetailLoaded(Result<DashboardDetail, ApiError>),
    Edit(FilterEdit),
    Apply,
    Reset,
    /// Fetch the charts again for the applied filters (after a failure).
    Refresh,
    ChartsLoaded {
        generation: u32,
        result: Result<DashboardCharts, ApiError>,
    },
}

impl DashboardState {
    fn request_charts(mut self, save_preferences: bool) -> Self {
        self.request = ChartsRequest {
            generation: self.request.generation + 1,
            save_preferences,
        };
        self.refreshing = true;
        self.problems.clear();
        self
    }

    /// The pure transition; [`Reducible::reduce`] wraps it.
    pub fn next(self, action: DashboardAction) -> Self {
        match action {
            DashboardAction::Reload => Self {
                // A new generation with nothing to fetch yet: answers still in flight for
                // the previous dashboard or tenant no longer match and are dropped.
                request: ChartsRequest {
                    generation: self.request.generation + 1,
                    save_preferences: false,
                },
                ..Self::default()
            },
            DashboardAction::DetailLoaded(Ok(detail)) => {
                let restored = filters::restore(&detail.dashboard.filters, &detail.saved_filters);
                let state = Self {
                    detail: FetchState::Ready(Rc::new(detail)),
                    draft: restored.clone(),
                    applied: restored,
                    charts: FetchState::Loading,
                    ..self
                };
                state.request_charts(false)
            }
            DashboardAction::DetailLoaded(Err(error)) => Self {
                detail: FetchState::Failed(error),
                refreshing: false,
                ..self
            },
            DashboardAction::Edit(edit) => {
                let Some(detail) = self.detail.ready() else {
                    return self;
                };
                let draft = filters::edit(&detail.dashboard.filters, &self.draft, &edit);
                Self { draft, ..self }
            }
            DashboardAction::Apply => {
                let Some(detail) = self.detail.ready() else {
                    return self;
                };
                let problems = filters::validate(&detail.dashboard.filters, &self.draft);
                if !problems.is_empty() {
                    return Self { problems, ..self };
                }
                let applied = self.draft.clone();
                Self { applied, ..self }.request_charts(true)
            }
            DashboardAction::Reset => {
                let Some(detail) = self.detail.ready() else {
                    return self;
                };
                let defaults = filters::defaults(&detail.dashboard.filters);
                Self {
                    draft: defaults.clone(),
                    applied: defaults,
                    ..self
                }
                .request_charts(true)
            }
            DashboardAction::Refresh => {
                if self.detail.ready().is_none() {
                    return self;
                }
                self.request_charts(false)
            }
            DashboardAction::ChartsLoaded { generation, result } => {
                if generation != self.request.generation {
                    return self;
                }
                Self {
                    charts: FetchState::from_result(result.map(Rc::new)),
                    refreshing: false,
                    ..self
                }
            }
        }
    }
}

impl Reducible for DashboardState {
    type Action = DashboardAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        Rc::new((*self).clone().next(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kyros_common::api::dashboards::{DashboardView, FilterDef, FilterKind, FilterSelection};
    use kyros_common::api::tenants::Branding;

    fn detail(saved: FilterState) -> DashboardDetail {
        DashboardDetail {
            dashboard: DashboardView {
                slug: "risk-analysis".into(),
                title: "Risk".into(),
                description: String::new(),
                filters: vec![
                    FilterDef {
                        field: "region".into(),
                        label: "Region".into(),
                        kind: FilterKind::MultiSelect,
                        options: vec!["EMEA".into(), "NA".into()],
                        min: None,
                        max: None,
                        default: Some(FilterSelection::Values(vec!["EMEA".into()])),
                    },
                    FilterDef {
                        field: "score".into(),
                        label: "Score".into(),
                        kind: FilterKind::NumberRange,
                        options: Vec::new(),
                        min: Some("0".into()),
                        max: Some("1".into()),
                        default: None,
                    },
                ],
                charts: Vec::new(),
            },
            branding: Branding::default(),
            saved_filters: saved,
        }
    }

    fn charts() -> DashboardCharts {
        DashboardCharts {
            dashboard: "risk-analysis".into(),
            filters: FilterState::default(),
            charts: Vec::new(),
        }
    }

    fn loaded(saved: FilterState) -> DashboardState {
        DashboardState::default().next(DashboardAction::DetailLoaded(Ok(detail(saved))))
    }

    fn toggle(value: &str) -> DashboardAction {
        DashboardAction::Edit(FilterEdit::Toggle {
            field: "region".into(),
            value: value.into(),
        })
    }

    #[test]
    fn opening_a_dashboard_restores_saved_filters_and_requests_charts_without_saving() {
        let mut saved = FilterState::default();
        saved
            .0
            .insert("region".into(), FilterSelection::Values(vec!["NA".into()]));
        let state = loaded(saved.clone());
        assert_eq!(state.applied, saved);
        assert_eq!(state.draft, saved);
        assert_eq!(
            state.request,
            ChartsRequest {
                generation: 1,
                save_preferences: false
            }
        );
    }

    #[test]
    fn editing_changes_only_the_draft_until_apply() {
        let state = loaded(FilterState::default()).next(toggle("NA"));
        assert_ne!(state.draft, state.applied);
        assert_eq!(state.request.generation, 1);
        let state = state.next(DashboardAction::Apply);
        assert_eq!(state.draft, state.applied);
        assert_eq!(
            state.request,
            ChartsRequest {
                generation: 2,
                save_preferences: true
            }
        );
    }

    #[test]
    fn an_invalid_draft_is_not_applied_and_says_why() {
        let state =
            loaded(FilterState::default()).next(DashboardAction::Edit(FilterEdit::SetBound {
                field: "score".into(),
                bound: crate::state::filters::Bound::From,
                value: "2e1".into(),
            }));
        let state = state.next(DashboardAction::Apply);
        assert_eq!(
            state.problems,
            vec!["Score: \u{201c}2e1\u{201d} is not a number."]
        );
        assert_eq!(state.request.generation, 1);
        assert_ne!(state.draft, state.applied);
    }

    #[test]
    fn reset_applies_the_defaults_and_saves_them() {
        let state = loaded(FilterState::default())
            .next(toggle("NA"))
            .next(DashboardAction::Apply);
        let state = state.next(DashboardAction::Reset);
        assert_eq!(state.applied.to_query_string(), "region=EMEA");
        assert_eq!(state.draft, state.applied);
        assert_eq!(
            state.request,
            ChartsRequest {
                generation: 3,
                save_preferences: true
            }
        );
    }

    #[test]
    fn a_late_response_for_an_older_request_is_ignored() {
        let state = loaded(FilterState::default()).next(DashboardAction::Apply);
        let state = state.next(DashboardAction::ChartsLoaded {
            generation: 1,
            result: Err(ApiError::Network),
        });
        assert_eq!(state.charts, FetchState::Loading);
        assert!(state.refreshing);
        let state = state.next(DashboardAction::ChartsLoaded {
            generation: 2,
            result: Ok(charts()),
        });
        assert!(state.charts.ready().is_some());
        assert!(!state.refreshing);
    }

    #[test]
    fn reloading_drops_answers_still_in_flight_for_the_previous_tenant() {
        let state = loaded(FilterState::default()).next(DashboardAction::Reload);
        assert_eq!(state.detail, FetchState::Loading);
        let state = state.next(DashboardAction::ChartsLoaded {
            generation: 1,
            result: Ok(charts()),
        });
        assert_eq!(state.charts, FetchState::Loading);
        let state = state.next(DashboardAction::DetailLoaded(Ok(detail(
            FilterState::default(),
        ))));
        assert_eq!(state.request.generation, 3);
    }

    #[test]
    fn refreshing_after_a_failure_refetches_the_applied_filters_without_saving() {
        let state = loaded(FilterState::default())
            .next(DashboardAction::ChartsLoaded {
                generation: 1,
                result: Err(ApiError::Network),
            })
            .next(DashboardAction::Refresh);
        assert_eq!(
            state.request,
            ChartsRequest {
                generation: 2,
                save_preferences: false
            }
        );
        assert!(state.refreshing);
    }

    #[test]
    fn edits_before_the_spec_is_loaded_are_ignored() {
        let state = DashboardState::default()
            .next(toggle("NA"))
            .next(DashboardAction::Apply)
            .next(DashboardAction::Refresh);
        assert_eq!(state, DashboardState::default());
    }
}
