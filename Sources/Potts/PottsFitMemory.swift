import Optimizers

/// Where a Potts fit's memory goes, from the sizes the code allocates (bytes; q states, N
/// sequences, L columns, P = L·q + L(L−1)/2·q² parameters, m = L-BFGS history, T threads):
///
/// - the objective (`PseudoLikelihood`): the codes (N·L bytes) and the same as slots (N·L
///   UInt16), each column's sequences sorted by residue (L·N Int32) and group starts (L·(q + 1)
///   Int32), the weights (N floats), the slot tables (L + 1 Int32, S bytes, L·q UInt16; S = the
///   slots, the states the columns show plus one, at most L·q + 1 — `KernelLayouts`), per pair a
///   lock, the evaluation that last visited it and its Σ J² (L(L−1)/2 × 16 bytes, `PairBlocks`); during an evaluation each thread's residuals (N·pad floats) and kernel
///   blocks of J and its gradient (2·S·pad floats; pad = 24), the site losses and field gradient
///   (L doubles, L·q floats);
/// - L-BFGS: `LBFGS.vectorCount(m)` = 2m + 3 vectors of P floats, and one more, the diagonal
///   preconditioner, when the fit is preconditioned (the default outside the evmutation preset);
///   P counts the couplings the likelihood reads (`CouplingParameters.Kind.live`), at most all.
///   Identical sequences are merged before the objective is built, so N above is an upper bound:
///   the distinct rows.
///
/// The fit's peak is their sum, or the model's phase when that is larger: the model built at the
/// end (the full (L, L, q, q) couplings, L²q² floats, beside x) appears after L-BFGS has let go of
/// all but x and the objective has gone, and is written to the archive without a further copy
/// (`NPZStreamWriter`). With every coupling held the sum is larger (L²q² ≈ 2·P); a shallow
/// alignment holds few (`CouplingParameters`), and then the model's phase is the peak. At L = 1000,
/// q = 21, m = 2 (`PottsFit.defaultMemory`): 8 × 0.88 GB of L-BFGS vectors (with the preconditioner) and 4 MB of kernel blocks. Without `slots` the estimate assumes every column
/// shows every state (an upper bound).
public enum PottsFitMemory {
    /// Bytes `PseudoLikelihood` holds for its lifetime (`slots`: `KernelLayouts.slotCount`).
    public static func objectiveHeld(sequences n: Int, length l: Int, states q: Int, slots: Int? = nil) -> Int {
        let s = slots ?? l * q + 1
        return n * l * 3 + l * n * 4 + l * (q + 1) * 4 + n * 4 + (l + 1) * 4 + (s - 1) + l * q * 2 + l * (l - 1) / 2 * 16
    }

    /// Bytes one evaluation allocates on top (per-thread residuals and kernel blocks, site losses,
    /// field gradient).
    public static func objectiveScratch(sequences n: Int, length l: Int, states q: Int, threads t: Int, slots: Int? = nil) -> Int {
        t * (n + 2 * (slots ?? l * q + 1)) * PseudoLikelihood.pad * 4 + l * 8 + l * q * 4
    }

    /// Bytes of L-BFGS's vectors (and its preconditioner's), of `parameters` floats (nil: every
    /// coupling); `m` nil: the fit's default history (`PottsFit.defaultMemory`).
    public static func optimizer(length l: Int = 0, states q: Int = 0, lbfgsMemory m: Int?, preconditioned: Bool, parameters: Int? = nil) -> Int {
        let p = parameters ?? PottsFit.parameterCount(length: l, states: q)
        return (LBFGS.vectorCount(memory: m ?? PottsFit.defaultMemory(parameters: p)) + (preconditioned ? 1 : 0)) * p * 4
    }

    /// Bytes of the model's phase: x (`parameters` floats) and the model's fields and full couplings.
    public static func model(length l: Int, states q: Int, parameters: Int? = nil) -> Int {
        ((parameters ?? PottsFit.parameterCount(length: l, states: q)) + l * q + l * l * q * q) * 4
    }

    /// The fit's peak: objective + its scratch + L-BFGS, or the model's phase if larger.
    public static func peak(sequences n: Int, length l: Int, states q: Int, lbfgsMemory m: Int?, threads t: Int, preconditioned: Bool,
                            slots: Int? = nil, parameters: Int? = nil) -> Int {
        let fitting = objectiveHeld(sequences: n, length: l, states: q, slots: slots) + objectiveScratch(sequences: n, length: l, states: q, threads: t, slots: slots)
            + optimizer(length: l, states: q, lbfgsMemory: m, preconditioned: preconditioned, parameters: parameters)
        return Swift.max(fitting, model(length: l, states: q, parameters: parameters))
    }
}

extension PseudoLikelihood {
    /// Bytes this objective's arrays hold now (what `PottsFitMemory.objectiveHeld` predicts).
    public var heldBytes: Int {
        weights.count * 4 + codes.count + slotCodes.count * 2 + (columnOrder.count + groupStarts.count) * 4
            + layouts.slotStarts.count * 4 + layouts.slotStates.count + layouts.slotOrZero.count * 2 + pairs.count * 16
    }
}
