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
}
