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
