extension QRCode {
    /// The code as text for a terminal with a dark background: two module rows per line with
    /// half-block characters, light modules drawn, and a light quiet zone of `border` modules.
    public func terminalText(border: Int = 2) -> String {
        let span = -border..<(size + border)
        var text = ""
        for top in stride(from: -border, to: size + border, by: 2) {
            for x in span {
                let upperLight = !isDark(x: x, y: top)
                let lowerLight = top + 1 < size + border ? !isDark(x: x, y: top + 1) : false
                switch (upperLight, lowerLight) {
                case (true, true): text += "█"
                case (true, false): text += "▀"
                case (false, true): text += "▄"
                case (false, false): text += " "
                }
            }
            text += "\n"
        }
        return text
    }

    /// The code as a plain PBM image (`P1`): `scale` pixels per module, a quiet zone of `border`
    /// modules, dark modules black. Image tools and scanners read it.
    public func portableBitmap(scale: Int = 4, border: Int = 4) -> String {
        let width = (size + 2 * border) * scale
        var text = "P1\n\(width) \(width)\n"
        for row in 0..<width {
            let y = row / scale - border
            var line = ""
            line.reserveCapacity(width * 2)
            for column in 0..<width {
                line += isDark(x: column / scale - border, y: y) ? "1 " : "0 "
            }
            text += line + "\n"
        }
        return text
    }

    /// The code as an SVG image for a web page: one path of dark modules on a light square with a
    /// quiet zone of `border` modules, sized by the page (it scales without blurring).
    public func svg(border: Int = 4) -> String {
        let span = size + 2 * border
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                // A run of dark modules on this row is one rectangle.
                var run = 1
                while x + run < size, isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + border) \(y + border)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(span) \(span)" shape-rendering="crispEdges" \
            role="img" aria-label="QR code"><rect width="\(span)" height="\(span)" fill="#fff"/>\
            <path d="\(path)" fill="#000"/></svg>
            """
    }
}
