/// C99 hexadecimal floating-point text (ISO C99 §6.4.4.2, `printf("%a")` style), used for every
/// value QuantSim prints and reads bit-exactly.
///
/// Output is normalised with a leading `1` digit and no trailing zero digits: `0x1.8p+3`,
/// `0x1p-24`, `-0x0p+0`, `nan`, `inf`, `-inf`.
public enum HexFloat {
    /// Formats an exact value.
    public static func format(_ value: ExactValue) -> String {
        switch value.kind {
        case .nan: return "nan"
        case .infinity: return value.isNegative ? "-inf" : "inf"
        case .finite:
            return format(negative: value.isNegative, limbs: [value.significand],
                          exponent: value.exponent)
        }
    }

    /// Formats `(-1)^negative * L * 2^exponent`, where L is the little-endian 64-bit limb array.
    public static func format(negative: Bool, limbs: [UInt64], exponent: Int) -> String {
        let sign = negative ? "-" : ""
        guard let top = limbs.lastIndex(where: { $0 != 0 }) else { return sign + "0x0p+0" }
        let topBit = top * 64 + (63 - limbs[top].leadingZeroBitCount)
        func bit(_ i: Int) -> UInt8 {
            i < 0 ? 0 : UInt8((limbs[i / 64] >> UInt64(i % 64)) & 1)
        }
        var digits: [UInt8] = []
        var position = topBit - 1
        while position >= 0 {
            var digit: UInt8 = 0
            for k in 0..<4 { digit = digit << 1 | bit(position - k) }
            digits.append(digit)
            position -= 4
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        let hex = Array("0123456789abcdef")
        let fraction = digits.isEmpty ? "" : "." + String(digits.map { hex[Int($0)] })
        let e = exponent + topBit
        return sign + "0x1" + fraction + "p" + (e < 0 ? "-" : "+") + String(e.magnitude)
    }

    /// Parses a hex float, `nan`, `inf`/`infinity` (optionally signed). Digits beyond the first
    /// 59 to 62 significant bits are folded into a sticky last bit (round to odd) and the result
    /// is reported inexact; such a value still rounds correctly to any format of at most 57
    /// significand bits (round-to-odd property, see `RoundingRule.toOdd`).
    /// Returns `nil` for text that is not a hex float.
    public static func parse(_ text: Substring) -> (value: ExactValue, exact: Bool)? {
        var s = text.trimmingWhitespace()
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() }
        else if s.hasPrefix("+") { s = s.dropFirst() }
        let lower = s.lowercased()
        if lower == "nan" { return (.nan, true) }
        if lower == "inf" || lower == "infinity" { return (.infinity(negative: negative), true) }
        guard lower.hasPrefix("0x") else { return nil }
        var body = Substring(lower.dropFirst(2))
        var binaryExponent = 0
        if let p = body.firstIndex(of: "p") {
            guard let e = Int(body[body.index(after: p)...]) else { return nil }
            binaryExponent = e
            body = body[..<p]
        }
        var significand: UInt64 = 0
        var sticky = false
        var sawDigit = false
        var afterPoint = false
        var shift = 0
        for ch in body {
            if ch == "." {
                if afterPoint { return nil }
                afterPoint = true
                continue
            }
            guard let d = ch.hexDigitValue else { return nil }
            sawDigit = true
            if significand >> 58 == 0 {
                significand = significand << 4 | UInt64(d)
                if afterPoint { shift -= 4 }
            } else {
                if d != 0 { sticky = true }
                if !afterPoint { shift += 4 }
            }
        }
        guard sawDigit else { return nil }
        // Exponents beyond +-2^40 are clamped there: every format's range lies within +-5000,
        // so the clamped value rounds (overflows or underflows) exactly as the written one, and
        // no later exponent arithmetic can overflow.
        let limit = 1 << 40
        let exponent = Swift.min(Swift.max(binaryExponent, -limit), limit) + shift
        if sticky { significand |= 1 }
        return (ExactValue(negative: negative, significand: significand, exponent: exponent),
                !sticky)
    }

    public static func parse(_ text: String) -> (value: ExactValue, exact: Bool)? {
        parse(Substring(text))
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
