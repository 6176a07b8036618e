import NMMCore

/// The legacy toy construction behind the common protocol (its methods already match).
extension FeldmanCousinsToys: BeltConstruction {}
