//! A KPI chart slot: one formatted number and its label.

use kyros_common::api::dashboards::KpiValue;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct KpiCardProps {
    pub kpi: KpiValue,
}

#[component]
pub fn KpiCard(props: &KpiCardProps) -> Html {
    html! {
        <div class="kpi">
            <p class="kpi-value">{ &props.kpi.formatted }</p>
            <p class="kpi-label">{ &props.kpi.label }</p>
        </div>
    }
}
