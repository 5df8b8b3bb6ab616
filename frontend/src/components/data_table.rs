//! A table chart slot rendered as a plain, accessible HTML table.

use kyros_common::api::dashboards::TableData;
use serde_json::Value;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DataTableProps {
    pub table: TableData,
    /// Used as the table caption (visually hidden: the card shows the title).
    pub caption: AttrValue,
}

#[component]
pub fn DataTable(props: &DataTableProps) -> Html {
    let table = &props.table;
    html! {
        <div class="table-scroll" tabindex="0" role="region" aria-label={props.caption.clone()}>
            <table class="data-table">
                <caption class="visually-hidden">{ props.caption.clone() }</caption>
                <thead>
                    <tr>
                        { for table.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for table.rows.iter().map(|row| html! {
                        <tr>
                            { for row.iter().map(|cell| html! {
                                <td class={classes!(cell.is_number().then_some("numeric"))}>
                                    { cell_text(cell) }
                                </td>
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The text shown for one JSON cell.
pub fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => "\u{2014}".to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format_decimal(f),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// At most two decimals, without trailing zeros.
fn format_decimal(f: f64) -> String {
    let text = format!("{f:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_read_naturally() {
        assert_eq!(cell_text(&json!(null)), "\u{2014}");
        assert_eq!(cell_text(&json!("EMEA")), "EMEA");
        assert_eq!(cell_text(&json!(1200)), "1200");
        assert_eq!(cell_text(&json!(0.12345)), "0.12");
        assert_eq!(cell_text(&json!(2.5)), "2.5");
        assert_eq!(cell_text(&json!(3.0)), "3");
        assert_eq!(cell_text(&json!(true)), "yes");
    }
}
