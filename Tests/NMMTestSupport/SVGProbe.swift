import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Test support shared by the plot and report tests.
/// Parses an SVG (or any XML) document with Foundation's XMLParser and keeps every element
/// with its attributes, its own text and the `data-name`/`class` of the groups around it.
public final class SVGProbe: NSObject, XMLParserDelegate {
    public struct Element {
        public var name: String
        public var attributes: [String: String]
        public var text: String
        /// `data-name` of the nearest enclosing element that has one.
        public var seriesName: String?
        /// `class` values of the enclosing elements, outermost first.
        public var ancestorClasses: [String]
    }

    public private(set) var elements: [Element] = []
    private var stack: [Int] = []
    public private(set) var parseError: Error?

    public init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() { parseError = parser.parserError ?? NSError(domain: "SVGProbe", code: 1) }
    }

    public var isWellFormed: Bool { parseError == nil }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let parents = stack.map { elements[$0] }
        let series = attributes["data-name"] ?? parents.last(where: { $0.attributes["data-name"] != nil })?.attributes["data-name"]
        let classes = parents.compactMap { $0.attributes["class"] }
        elements.append(Element(name: name, attributes: attributes, text: "", seriesName: series, ancestorClasses: classes))
        stack.append(elements.count - 1)
    }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let top = stack.last { elements[top].text += string }
    }

    /// data-name of every `<g class="series">`.
    public var seriesNames: [String] {
        elements.filter { $0.name == "g" && $0.attributes["class"] == "series" }.compactMap { $0.attributes["data-name"] }
    }

    /// data-name of every legend entry.
    public var legendNames: [String] {
        elements.filter { $0.attributes["class"] == "legend-entry" }.compactMap { $0.attributes["data-name"] }
    }

    public func texts(class cls: String) -> [String] {
        elements.filter { $0.attributes["class"] == cls }.map(\.text)
    }

    /// Texts of the tick labels of an axis ("xticks" or "yticks").
    public func tickLabels(_ axis: String) -> [String] {
        elements.filter { $0.name == "text" && $0.ancestorClasses.last == axis }.map(\.text)
    }

    /// Elements drawn inside the named series.
    public func elements(inSeries name: String) -> [Element] {
        elements.filter { $0.seriesName == name && $0.attributes["data-name"] == nil && $0.ancestorClasses.contains("series") }
    }
}
