/// Trimming text: the one helper every reader uses (inner characters are always kept).
extension StringProtocol {
    /// Without leading and trailing characters for which `drop` holds.
    public func trimming(while drop: (Character) -> Bool) -> Substring {
        var s = Substring(self)
        while let c = s.first, drop(c) { s.removeFirst() }
        while let c = s.last, drop(c) { s.removeLast() }
        return s
    }

    /// Without leading and trailing white space (spaces, tabs, line ends).
    public func trimmingWhitespace() -> Substring { trimming(while: \.isWhitespace) }

    /// Without trailing white space (a line's end: "\r", spaces); leading white space is kept.
    public func trimmingTrailingWhitespace() -> Substring {
        var s = Substring(self)
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}
