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
