import NMMCore

extension StatisticalModel {
    /// This model and `other` as one likelihood: the data sets of both (names must differ) and
    /// the modifiers of both, a name in both being one parameter — it must then mean the same
    /// thing (kind and constraint), or the combination is refused.
    public func combined(with other: StatisticalModel) throws -> StatisticalModel {
        var out = self
        for d in other.dataSets {
            guard !out.dataSets.contains(where: { $0.name == d.name }) else {
                throw StatisticsError.invalidInput("data set '\(d.name)' is in the model twice; combined experiments need different names")
            }
            out.dataSets.append(d)
        }
        for m in other.modifiers {
            if let mine = out.modifier(named: m.name) {
                guard mine == m else {
                    throw StatisticsError.invalidInput("modifier '\(m.name)' is \(mine.kind.rawValue) \(mine.constraint) here and \(m.kind.rawValue) \(m.constraint) in the other model: a shared nuisance must be the same quantity (rename one if they differ)")
                }
            } else {
                out.modifiers.append(m)
            }
        }
        try out.validate()
        return out
    }
}
