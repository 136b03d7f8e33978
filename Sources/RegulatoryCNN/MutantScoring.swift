import Autodiff
import Layers
import Tensors

// Logits of substitutions in one sequence (a base, or a motif's bases), recomputing each layer only
// where the substituted sequence can differ from the reference.
//
// A substitution of w bases of x from position i changes the input on [i, i+w). Through the local layers the changed
// region grows or shrinks by a fixed rule:
//   conv (stride 1, padding p, span s = d(K−1)+1): [a, b) → [a + p − s + 1, b + p), clipped to [0, L_out);
//   max pool (size P, stride S): [a, b) → [⌈(a − P + 1)/S⌉, ⌊(b − 1)/S⌋ + 1), clipped;
//   activations and (unfolded) BatchNorm at inference: unchanged.
// Every variant keeps a window of fixed width W_ℓ ⊇ its changed region at layer ℓ (conv:
// W + s − 1; pool: ⌊(W + P − 2)/S⌋ + 1; at most L_ℓ), so the variants of a batch form one (M, C, W)
// tensor and each conv is one im2col sgemm over all of them: the layer's input is gathered from the
// variant's window where it has one and from the reference activations elsewhere (zero in the
// padding). Outside its window a variant's activations equal the reference's, so the first
// non-local layer (flatten, dense, attention, positional encoding, or a strided conv) receives the
// reference activations with each window pasted in, and the rest of the network runs as usual.
// Exact up to float rounding: the same function as the full forward pass on each variant.

extension CNNModel {
    /// Logits (M, T) of the variants of `x` (one sequence, (4, L) or (1, 4, L)) that set position
    /// `pos` to the one-hot column of `base`: `substitutionLogits` with one base each.
    public func variantLogits(_ x: Tensor, variants: [(pos: Int, base: Int)], batchSize: Int = 500,
                              inference: Sequential? = nil) -> Tensor {
        substitutionLogits(x, substitutions: variants.map { ($0.pos, [$0.base]) }, batchSize: batchSize, inference: inference)
    }

    /// Logits (M, T) of `x` (one sequence, (4, L) or (1, 4, L)) with the one-hot columns of `bases`
    /// (codes 0–3, A C G T) written over positions start ..< start + w — a base, or a motif — one
    /// substitution per row, in inference mode, through `inference` (a network folded from this
    /// one; folded here when nil). Substitutions of each width w run in blocks of `batchSize`
    /// fixed by their order, shared over the cores (`predict`'s rule: the same bits at any thread
    /// count). Reverse-complement models score them by the full forward pass.
    public func substitutionLogits(_ x: Tensor, substitutions: [(start: Int, bases: [Int])], batchSize: Int = 500,
                                   inference: Sequential? = nil) -> Tensor {
        let l = x.shape[x.rank - 1]
        precondition(x.count == 4 * l, "substitutionLogits: one sequence (4, L) expected, got \(x.shape)")
        precondition(substitutions.allSatisfy { s in s.start >= 0 && s.start + s.bases.count <= l && !s.bases.isEmpty && s.bases.allSatisfy { (0..<4).contains($0) } },
                     "substitutionLogits: each substitution lies inside the sequence and writes bases 0–3")
        let net = inference ?? network.foldedForInference()
        let m = substitutions.count, t = tasks
        guard m > 0 else { return Tensor(shape: [0, t], scalars: []) }
        if architecture.reverseComplement {                     // the substituted sequences built a block at a time
            nonisolated(unsafe) let (model, folded) = (self, net)
            let subs = substitutions
            return CNNModel.inBlocks(m, columns: t, batchSize: batchSize) { rows in
                var all = [Float](repeating: 0, count: rows.count * 4 * l)
                for (k, s) in subs[rows].enumerated() {
                    for i in 0..<(4 * l) { all[k * 4 * l + i] = x.scalars[i] }
                    for (j, b) in s.bases.enumerated() { for c in 0..<4 { all[(k * 4 + c) * l + s.start + j] = c == b ? 1 : 0 } }
                }
                return noGrad { model.bothStrands(Variable(Tensor(shape: [rows.count, 4, l], scalars: all))) { folded($0, training: false) }.value }
            }
        }
        let plan = VariantPlan(net, input: Tensor(shape: [1, 4, l], scalars: x.scalars))
        nonisolated(unsafe) let p = plan
        var out = [Float](repeating: 0, count: m * t)
        for width in Set(substitutions.map(\.bases.count)).sorted() {
            let rows = substitutions.indices.filter { substitutions[$0].bases.count == width }
            let these = rows.map { substitutions[$0] }
            let logits = CNNModel.inBlocks(these.count, columns: t, batchSize: batchSize) { r in noGrad { p.logits(these[r], width: width) } }
            for (k, row) in rows.enumerated() { for c in 0..<t { out[row * t + c] = logits.scalars[k * t + c] } }
        }
        return Tensor(shape: [m, t], scalars: out)
    }
}

/// The reference activations of one sequence through a folded network's local prefix, and the
/// rule that carries a variant's window through each of its layers.
struct VariantPlan {
    enum Step { case conv(Conv1D), pool(MaxPool1D), pointwise(any SequentialLayer) }
    let steps: [Step]
    /// reference[k]: the (1, C, L) output of steps[k]; reference input first (index 0 = input).
    let reference: [Tensor]
    let rest: Sequential

    init(_ net: Sequential, input: Tensor) {
        var steps: [Step] = []
        var k = 0
        for layer in net.layers {
            if let c = layer as? Conv1D, c.geometry.stride == 1 { steps.append(.conv(c)) }
            else if let p = layer as? MaxPool1D { steps.append(.pool(p)) }
            else if layer is Activation || layer is Dropout || ((layer as? BatchNorm1d) != nil) { steps.append(.pointwise(layer)) }
            else { break }
            k += 1
        }
        self.steps = steps
        rest = Sequential(Array(net.layers[k...]))
        var refs = [input]
        noGrad {
            for layer in net.layers[..<k] { refs.append(layer(Variable(refs.last!), training: false).value) }
        }
        reference = refs
    }

    /// Logits of substitutions of `width` bases (one batch), through the windows and then the rest of the network.
    func logits(_ substitutions: ArraySlice<(start: Int, bases: [Int])>, width w: Int) -> Tensor {
        let m = substitutions.count
        var width = w
        var starts = substitutions.map(\.start)
        var window = Tensor(zeros: [m, 4, w])
        for (k, s) in substitutions.enumerated() { for (j, b) in s.bases.enumerated() { window.scalars[(k * 4 + b) * w + j] = 1 } }
        for (k, step) in steps.enumerated() {
            let input = reference[k], output = reference[k + 1]
            let lOut = output.shape[2]
            switch step {
            case .pointwise(let layer):
                window = layer(Variable(window), training: false).value
            case .conv(let conv):
                let g = conv.geometry, span = g.dilation * (conv.weight.shape[2] - 1) + 1
                let newWidth = Swift.min(lOut, width + span - 1)
                let newStarts = starts.map { a in Swift.max(0, Swift.min(a + g.padding - span + 1, lOut - newWidth)) }
                let gathered = Self.gather(input, window, starts, width, from: newStarts.map { $0 - g.padding }, count: newWidth + span - 1)
                window = Tensor.conv1d(gathered, conv.weight.value, bias: conv.bias?.value,
                                       Conv1DGeometry(padding: 0, stride: 1, dilation: g.dilation))
                (width, starts) = (newWidth, newStarts)
            case .pool(let pool):
                let (size, stride) = (pool.size, pool.stride)
                let newWidth = Swift.min(lOut, (width + size - 2) / stride + 1)
                let newStarts = starts.map { a in
                    let first = a - size + 1 <= 0 ? 0 : (a - size + 1 + stride - 1) / stride
                    return Swift.max(0, Swift.min(first, lOut - newWidth))
                }
                let gathered = Self.gather(input, window, starts, width, from: newStarts.map { $0 * stride },
                                           count: (newWidth - 1) * stride + size)
                window = Tensor.maxPool1d(gathered, size: size, stride: stride, indices: false).0
                (width, starts) = (newWidth, newStarts)
            }
            precondition(window.shape == [m, output.shape[1], width], "variant window \(window.shape) at step \(k)")
        }
        let full = Self.gather(reference[steps.count], window, starts, width, from: [Int](repeating: 0, count: m),
                               count: reference[steps.count].shape[2])
        return rest(Variable(full), training: false).value
    }

    /// (M, C, count): position from[v] + q of variant v — its window's value inside
    /// [starts[v], starts[v] + width), the reference's elsewhere, 0 outside [0, L).
    static func gather(_ reference: Tensor, _ window: Tensor, _ starts: [Int], _ width: Int, from: [Int], count: Int) -> Tensor {
        let (c, l, m) = (reference.shape[1], reference.shape[2], starts.count)
        var out = [Float](repeating: 0, count: m * c * count)
        reference.scalars.withUnsafeBufferPointer { rb in
            window.scalars.withUnsafeBufferPointer { wb in
                out.withUnsafeMutableBufferPointer { ob in
                    for v in 0..<m {
                        let (s0, f0) = (starts[v], from[v])
                        let lo = Swift.max(0, -f0), hi = Swift.min(count, l - f0)   // q with 0 ≤ f0 + q < L
                        guard lo < hi else { continue }
                        let wLo = Swift.min(Swift.max(s0 - f0, lo), hi), wHi = Swift.max(Swift.min(s0 + width - f0, hi), wLo)
                        for ch in 0..<c {
                            let dst = ob.baseAddress! + (v * c + ch) * count
                            let ref = rb.baseAddress! + ch * l + f0
                            let win = wb.baseAddress! + (v * c + ch) * width + f0 - s0
                            if wLo > lo { (dst + lo).update(from: ref + lo, count: wLo - lo) }
                            if wHi > wLo { (dst + wLo).update(from: win + wLo, count: wHi - wLo) }
                            if hi > wHi { (dst + wHi).update(from: ref + wHi, count: hi - wHi) }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [m, c, count], scalars: out)
    }
}
