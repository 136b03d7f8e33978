// Code that fitted or read models through Potts keeps seeing `ModelArchive` and `ModelKind`.
@_exported import Archive

extension ModelArchive {
    /// The Potts form of the model (potts, gaussian, attention); nil for a PSSM and for an
    /// autoregressive model, whose J is not a Potts coupling tensor.
    public var pottsModel: PottsModel? {
        guard kind.storesPottsForm else { return nil }
        return couplings.map { PottsModel(alphabet: alphabet, fields: fields, couplings: $0) }
    }
}
