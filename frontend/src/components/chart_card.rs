//! One chart slot of the dashboard grid: title, CSV export, and the chart itself
//! (ECharts, KPI card or table), or a clear "no data" state.

use std::rc::Rc;

use kyros_common::api::dashboards::{ChartKind, ChartPayload, ChartView, FilterState};
use yew::prelude::*;

use crate::api::paths;
use crate::components::chart::EChart;
use crate::components::data_table::DataTable;
use crate::components::kpi_card::KpiCard;

#[derive(Properties, PartialEq)]
pub struct ChartCardProps {
    pub dashboard_slug: AttrValue,
    pub view: ChartView,
    /// `None` when the backend returned no payload for this slot.
    pub payload: Option<ChartPayload>,
    /// The applied filters (for the CSV link).
    pub filters: FilterState,
}

#[component]
pub fn ChartCard(props: &ChartCardProps) -> Html {
    let view = &props.view;
    let title_id = format!("chart-{}-title", view.id);
    let export_href = paths::export_csv(&props.dashboard_slug, &view.id, &props.filters);
    let body = match &props.payload {
        None => html! { <p class="chart-empty">{ "This chart is not available." }</p> },
        Some(payload) if payload.empty => {
            html! { <p class="chart-empty" role="status">{ "No data for these filters" }</p> }
        }
        Some(payload) => chart_body(payload, &view.title),
    };
    html! {
        <section
            class={classes!("chart-card", span_class(view.width), format!("kind-{}", kind_class(view.kind)))}
            data-chart-id={view.id.clone()}
            data-chart-kind={kind_class(view.kind)}
            aria-labelledby={title_id.clone()}
        >
            <header class="chart-card-header">
                <h2 id={title_id} class="chart-title">{ &view.title }</h2>
                <a
                    class="export-csv"
                    href={export_href}
                    download={format!("{}.csv", view.id)}
                    aria-label={format!("Export {} as CSV", view.title)}
                >
                    { "CSV" }
                </a>
            </header>
            if !view.description.is_empty() {
                <p class="chart-description">{ &view.description }</p>
            }
            { body }
        </section>
    }
}

fn chart_body(payload: &ChartPayload, title: &str) -> Html {
    match payload.kind {
        ChartKind::Kpi => match &payload.kpi {
            Some(kpi) => html! { <KpiCard kpi={kpi.clone()} /> },
            None => html! { <p class="chart-empty">{ "No data for these filters" }</p> },
        },
        ChartKind::Table => match &payload.table {
            Some(table) => {
                html! { <DataTable table={table.clone()} caption={AttrValue::from(title.to_owned())} /> }
            }
            None => html! { <p class="chart-empty">{ "No data for these filters" }</p> },
        },
        _ => html! {
            <EChart option={Rc::new(payload.option.clone())} label={AttrValue::from(title.to_owned())} />
        },
    }
}

/// The 12-column grid span of a slot (`span-1` … `span-12`).
pub fn span_class(width: u8) -> String {
    format!("span-{}", width.clamp(1, 12))
}

fn kind_class(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar => "bar",
        ChartKind::StackedBar => "stacked-bar",
        ChartKind::Line => "line",
        ChartKind::Area => "area",
        ChartKind::Pie => "pie",
        ChartKind::Scatter => "scatter",
        ChartKind::Histogram => "histogram",
        ChartKind::Heatmap => "heatmap",
        ChartKind::Kpi => "kpi",
        ChartKind::Table => "table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_map_to_a_twelve_column_grid() {
        assert_eq!(span_class(6), "span-6");
        assert_eq!(span_class(0), "span-1");
        assert_eq!(span_class(40), "span-12");
    }
}
