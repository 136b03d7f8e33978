/// A dense, row-major, contiguous tensor of `Float`.
///
/// `shape` lists the extent of each axis; element `[i0, i1, …]` lives at
/// `Σ_k i_k · strides[k]` in `scalars`, with `strides[k] = Π_{m>k} shape[m]`.
/// A rank-0 tensor (shape `[]`) holds one scalar. Storage is a Swift array, so
/// copies are copy-on-write; kernels take its unsafe buffer once, outside their loops.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    public private(set) var shape: [Int]
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A rank-0 tensor.
    public init(_ scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// A rank-1 tensor.
    public init(_ vector: [Float]) { self.init(shape: [vector.count], scalars: vector) }

    /// A rank-2 tensor from rows of equal length.
    public init(rows: [[Float]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "ragged rows")
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// 0, 1, …, n−1.
    public static func arange(_ n: Int) -> Tensor { Tensor((0..<n).map(Float.init)) }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }
    public var strides: [Int] { Tensor.strides(of: shape) }

    /// The single value of a tensor with one element.
    public var scalar: Float {
        precondition(count == 1, "scalar of a tensor with shape \(shape)")
        return scalars[0]
    }

    public static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for k in stride(from: shape.count - 1, through: 0, by: -1) { strides[k] = s; s *= shape[k] }
        return strides
    }

    /// Normalises a possibly negative axis (−1 = last).
    public func axis(_ a: Int) -> Int {
        let r = a < 0 ? a + rank : a
        precondition(r >= 0 && r < rank, "axis \(a) out of range for rank \(rank)")
        return r
    }

    public subscript(indices: Int...) -> Float {
        get { scalars[offset(indices)] }
        set { scalars[offset(indices)] = newValue }
    }

    func offset(_ indices: [Int]) -> Int {
        precondition(indices.count == rank, "\(indices.count) indices for rank \(rank)")
        var o = 0
        var s = 1
        for k in stride(from: rank - 1, through: 0, by: -1) {
            precondition(indices[k] >= 0 && indices[k] < shape[k], "index \(indices) out of bounds \(shape)")
            o += indices[k] * s
            s *= shape[k]
        }
        return o
    }

    /// The same scalars under a new shape; one extent may be −1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var shape = newShape
        if let i = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot infer -1 in \(newShape) for \(count) scalars")
            shape[i] = count / known
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    public var description: String { "Tensor(shape: \(shape), scalars: \(scalars.prefix(8))\(count > 8 ? "…" : ""))" }
}

extension Tensor {
    /// Splits `shape` around `axis` into (outer, n, inner) so that element (o, k, i)
    /// lives at `(o·n + k)·inner + i` — the layout every along-axis kernel loops over.
    @inlinable
    public func split(around axis: Int) -> (outer: Int, n: Int, inner: Int) {
        let a = self.axis(axis)
        return (shape[..<a].reduce(1, *), shape[a], shape[(a + 1)...].reduce(1, *))
    }
}

extension Array where Element == Float {
    /// Storage for `count` floats that the caller overwrites in full before reading
    /// (skips the zero fill that large kernel outputs would otherwise pay).
    public init(uninitializedCount count: Int) {
        self.init(unsafeUninitializedCapacity: count) { _, initialised in initialised = count }
    }
}
