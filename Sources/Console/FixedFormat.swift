#if canImport(Glibc)
import Glibc
#endif

/// `v` with `digits` decimals (`fixed(3.14159, 2)` is "3.14"), the same on every platform and
/// locale; values beyond ±10¹⁵ and non-finite ones are written as Swift prints them (`1e+30`, `nan`).
public func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite, Swift.abs(v) < 1e15 else { return String(v) }     // beyond Int's range: 1e+30
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let r = (abs(v) * p).rounded()
    let whole = Int(r / p), frac = Int(r.truncatingRemainder(dividingBy: p))
    let fs = String(frac)
    let sign = v < 0 && r > 0 ? "-" : ""
    return digits == 0 ? sign + String(whole) : sign + "\(whole)." + String(repeating: "0", count: digits - fs.count) + fs
}

/// A positive `v` as "1.234e-05" (4 significant digits, as Tomtom and FIMO print p-values); 0 as
/// "0", anything else as Swift prints it.
public func scientific(_ v: Double) -> String {
    guard v > 0, v.isFinite else { return v == 0 ? "0" : "\(v)" }
    var exponent = Int((log10(v)).rounded(.down))
    var mantissa = v / pow(10, Double(exponent))
    if (mantissa * 1000).rounded() >= 10000 { mantissa /= 10; exponent += 1 }
    let sign = exponent < 0 ? "-" : "+"
    let digits = String(Swift.abs(exponent))
    return fixed(mantissa, 3) + "e" + sign + (digits.count < 2 ? "0" + digits : digits)
}
