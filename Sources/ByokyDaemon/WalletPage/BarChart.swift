import ByokyHTTPServer

/// A stacked bar chart drawn as SVG on the server: one bar per day, one colored part per series,
/// a `<title>` on each part for hovering, the y axis's top value, and a legend. No script, no
/// styles (colors are presentation attributes, which the page's CSP allows).
struct BarChart {
    /// One bar's parts, by series name.
    struct Bar {
        let label: String
        var values: [String: Int]
    }

    let title: String
    let unit: String
    let bars: [Bar]
    /// The series in the order they stack (bottom first) and are listed.
    let series: [String]

    static let palette = ["#4f46e5", "#0891b2", "#16a34a", "#ca8a04", "#dc2626", "#9333ea", "#db2777", "#64748b"]

    func color(of name: String) -> String {
        let index = series.firstIndex(of: name) ?? 0
        return Self.palette[index % Self.palette.count]
    }

    var svg: HTML {
        let width = 720.0
        let height = 220.0
        let left = 56.0
        let bottom = 24.0
        let top = 10.0
        let maximum = max(1, bars.map { $0.values.values.reduce(0, +) }.max() ?? 1)
        let slot = (width - left) / Double(max(bars.count, 1))
        let barWidth = max(1, slot * 0.7)
        var parts: [HTML] = []
        for (index, bar) in bars.enumerated() {
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            var y = height - bottom
            for name in series {
                let value = bar.values[name] ?? 0
                guard value > 0 else { continue }
                let h = (height - bottom - top) * Double(value) / Double(maximum)
                y -= h
                parts.append(
                    """
                    <rect x="\(Self.number(x))" y="\(Self.number(y))" width="\(Self.number(barWidth))" height="\(Self.number(h))" fill="\(color(of: name))"><title>\(bar.label) · \(name): \(value) \(unit)</title></rect>
                    """
                )
            }
            // A label every few bars, so they never overlap.
            let every = max(1, bars.count / 8)
            if index % every == 0 {
                parts.append(
                    "<text x=\"\(Self.number(x + barWidth / 2))\" y=\"\(Self.number(height - 6))\" text-anchor=\"middle\" font-size=\"11\" fill=\"currentColor\">\(bar.label)</text>"
                )
            }
        }
        let legend = series.map { name -> HTML in
            "<li><span class=\"swatch\" data-color=\"\(color(of: name))\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" fill=\"\(color(of: name))\"/></svg></span> \(name)</li>"
        }
        return """
            <figure class="chart">
              <figcaption>\(title)</figcaption>
              <svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(title)">
                <line x1="\(Int(left))" y1="\(Int(height - bottom))" x2="\(Int(width))" y2="\(Int(height - bottom))" stroke="currentColor" stroke-opacity="0.3"/>
                <text x="\(Int(left - 6))" y="\(Int(top + 10))" text-anchor="end" font-size="11" fill="currentColor">\(maximum)</text>
                <text x="\(Int(left - 6))" y="\(Int(height - bottom))" text-anchor="end" font-size="11" fill="currentColor">0</text>
                \(parts)
              </svg>
              <ul class="legend">\(legend)</ul>
            </figure>
            """
    }

    /// The numbers under the chart, a row per day and a column per series.
    var table: HTML {
        let head = series.map { name -> HTML in "<th>\(name)</th>" }
        let rows = bars.filter { !$0.values.isEmpty }.map { bar -> HTML in
            let cells = series.map { name -> HTML in "<td>\(bar.values[name] ?? 0)</td>" }
            return "<tr><td>\(bar.label)</td>\(cells)</tr>"
        }
        guard !rows.isEmpty else { return "<p class=\"meta\">Nothing in this range.</p>" }
        return """
            <details><summary>The numbers</summary><div class="scroll"><table class="numbers">
              <thead><tr><th>Day</th>\(head)</tr></thead><tbody>\(rows)</tbody>
            </table></div></details>
            """
    }

    private static func number(_ value: Double) -> String {
        String(Double(Int(value * 10)) / 10)
    }
}
