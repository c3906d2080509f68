//! Horizontal bar charts as SVG text, drawn on the server so they are read
//! without JavaScript: a `<title>` and `role="img"` with an `aria-label` for
//! screen readers, a `<desc>` listing every value, both axes labelled, and
//! every text escaped. Colours are attributes, not styles, so the page's
//! content security policy does not get in the way.

use super::markup::escape;

/// One bar: its label, its length (negative values draw as zero) and the
/// value as people read it ("$1,500.00 MXN", "42,5 %").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub value_text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// What the bars are (the vertical axis).
    pub category_axis: String,
    /// What their length measures (the horizontal axis).
    pub value_axis: String,
    pub bars: Vec<Bar>,
}

const WIDTH: i64 = 640;
const LABEL_WIDTH: i64 = 190;
const BAR_AREA: i64 = 330;
const ROW: i64 = 30;
const TOP: i64 = 16;
const BOTTOM: i64 = 44;
/// Longer labels are cut (the whole label stays in the bar's tooltip and the description).
const LABEL_CHARS: usize = 26;
const BAR_COLOUR: &str = "#4f46e5";
const TEXT_COLOUR: &str = "#334155";
const AXIS_COLOUR: &str = "#94a3b8";

impl BarChart {
    pub fn to_svg(&self) -> String {
        let height = TOP + ROW * self.bars.len().max(1) as i64 + BOTTOM;
        let title = escape(&self.title);
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{title}\" viewBox=\"0 0 {WIDTH} {height}\" \
             width=\"100%\" font-family=\"sans-serif\" font-size=\"13\" fill=\"{TEXT_COLOUR}\">\
             <title>{title}</title><desc>{}</desc>",
            escape(&self.description())
        );
        let longest = self.bars.iter().map(|b| b.value.max(0)).max().unwrap_or(0);
        for (row, bar) in self.bars.iter().enumerate() {
            svg.push_str(&bar_row(bar, TOP + ROW * row as i64, longest));
        }
        svg.push_str(&self.axes(height));
        svg.push_str("</svg>");
        svg
    }

    /// "Label: value; label: value" for screen readers.
    fn description(&self) -> String {
        let values: Vec<String> = self.bars.iter().map(|b| format!("{}: {}", b.label, b.value_text)).collect();
        format!("{}. {}: {}.", self.title, self.category_axis, values.join("; "))
    }

    fn axes(&self, height: i64) -> String {
        let axis_bottom = height - BOTTOM;
        let middle = TOP + (axis_bottom - TOP) / 2;
        format!(
            "<line x1=\"{LABEL_WIDTH}\" y1=\"{TOP}\" x2=\"{LABEL_WIDTH}\" y2=\"{axis_bottom}\" stroke=\"{AXIS_COLOUR}\"/>\
             <line x1=\"{LABEL_WIDTH}\" y1=\"{axis_bottom}\" x2=\"{}\" y2=\"{axis_bottom}\" stroke=\"{AXIS_COLOUR}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\">{}</text>\
             <text x=\"14\" y=\"{middle}\" text-anchor=\"middle\" font-weight=\"600\" transform=\"rotate(-90 14 {middle})\">{}</text>",
            LABEL_WIDTH + BAR_AREA,
            LABEL_WIDTH + BAR_AREA / 2,
            height - 14,
            escape(&self.value_axis),
            escape(&self.category_axis),
        )
    }
}

fn bar_row(bar: &Bar, y: i64, longest: i64) -> String {
    let length = if longest > 0 { (i128::from(bar.value.max(0)) * i128::from(BAR_AREA) / i128::from(longest)) as i64 } else { 0 };
    let (label, value) = (escape(&bar.label), escape(&bar.value_text));
    let text_y = y + ROW / 2 + 4;
    format!(
        "<g><text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\">{}</text>\
         <rect x=\"{LABEL_WIDTH}\" y=\"{}\" width=\"{length}\" height=\"{}\" fill=\"{BAR_COLOUR}\"><title>{label}: {value}</title></rect>\
         <text x=\"{}\" y=\"{text_y}\">{value}</text></g>",
        LABEL_WIDTH - 8,
        escape(&shorten(&bar.label)),
        y + 5,
        ROW - 10,
        LABEL_WIDTH + length + 6,
    )
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        format!("{}…", label.chars().take(LABEL_CHARS - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(bars: Vec<Bar>) -> BarChart {
        BarChart { title: "Reservas por estado".into(), category_axis: "Estado".into(), value_axis: "Reservas".into(), bars }
    }

    fn bar(label: &str, value: i64) -> Bar {
        Bar { label: label.into(), value, value_text: value.to_string() }
    }

    fn widths(svg: &str) -> Vec<i64> {
        svg.split("<rect ").skip(1).map(|r| r.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()).collect()
    }

    #[test]
    fn the_chart_is_an_accessible_image_with_labelled_axes() {
        let svg = chart(vec![bar("Confirmada", 3), bar("Cancelada", 1)]).to_svg();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Reservas por estado\""));
        assert!(svg.contains("<title>Reservas por estado</title>"));
        assert!(svg.contains("<desc>Reservas por estado. Estado: Confirmada: 3; Cancelada: 1.</desc>"));
        assert!(svg.contains(">Reservas</text>") && svg.contains(">Estado</text>"), "both axes are labelled");
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect ").count(), 2);
    }

    #[test]
    fn bars_are_scaled_to_the_longest() {
        let svg = chart(vec![bar("a", 10), bar("b", 5), bar("c", 0), bar("d", -4)]).to_svg();
        assert_eq!(widths(&svg), vec![BAR_AREA, BAR_AREA / 2, 0, 0]);
        assert_eq!(widths(&chart(vec![bar("a", 0)]).to_svg()), vec![0], "all zero: no division by zero");
    }

    #[test]
    fn every_text_is_escaped() {
        let mut hostile = chart(vec![Bar { label: "<script>alert(\"x\")</script> & 'co'".into(), value: 1, value_text: "<b>1</b>".into() }]);
        hostile.title = "A \"quoted\" <title>".into();
        hostile.value_axis = "x < y".into();
        let svg = hostile.to_svg();
        assert!(!svg.contains("<script") && !svg.contains("<b>") && !svg.contains("\"quoted\""));
        assert!(svg.contains("aria-label=\"A &quot;quoted&quot; &lt;title&gt;\""));
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;: &lt;b&gt;1&lt;/b&gt;"));
        assert!(svg.contains(">x &lt; y</text>"));
    }

    #[test]
    fn long_labels_are_shortened_but_kept_whole_in_the_tooltip() {
        let name = "Taller Mecánico Hermanos Rodríguez e Hijos";
        let svg = chart(vec![bar(name, 1)]).to_svg();
        assert!(svg.contains(&format!(">{}…</text>", name.chars().take(LABEL_CHARS - 1).collect::<String>())));
        assert!(svg.contains(&format!("<title>{name}: 1</title>")));
    }

    #[test]
    fn an_empty_chart_is_still_valid() {
        let svg = chart(Vec::new()).to_svg();
        assert!(svg.contains("viewBox=\"0 0 640 90\"") && !svg.contains("<rect"));
    }
}
