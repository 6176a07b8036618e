import ArgumentParser
import NMMCore
import NMMStages
import NMMStatistics

// The typed choices of the config and the products, accepted on the command line by their words.
extension FitMethod: ExpressibleByArgument {}
extension LimitMethod: ExpressibleByArgument {}
extension BackgroundTerms: ExpressibleByArgument {}
extension ResidualErrorRule: ExpressibleByArgument {}
extension NeutrinoFlavor: ExpressibleByArgument {}
extension ToyStatistic: ExpressibleByArgument {}
extension StageName: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension IntervalMethod: ExpressibleByArgument {}

/// A comma-separated list of interval methods: `fc,cls,asymptotic,bayes`.
struct IntervalMethodList: ExpressibleByArgument {
    var methods: [IntervalMethod]

    init?(argument: String) {
        let words = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = words.compactMap(IntervalMethod.init(word:))
        guard !parsed.isEmpty, parsed.count == words.count, Set(parsed).count == parsed.count else { return nil }
        methods = parsed
    }

    static var defaultValueDescription: String { "limit.methods, else fc" }
    static var allValueStrings: [String] { IntervalMethod.allCases.map(\.rawValue) }
}
