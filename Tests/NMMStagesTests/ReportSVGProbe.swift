import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG (or any XML) document with Foundation's XMLParser and keeps every element
/// with its attributes, its own text and the `data-name`/`class` of the groups around it.
final class ReportSVGProbe: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// `data-name` of the nearest enclosing element that has one.
        var seriesName: String?
        /// `class` values of the enclosing elements, outermost first.
        var ancestorClasses: [String]
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private(set) var parseError: Error?

    init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() { parseError = parser.parserError ?? NSError(domain: "SVGProbe", code: 1) }
    }

    var isWellFormed: Bool { parseError == nil }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let parents = stack.map { elements[$0] }
        let series = attributes["data-name"] ?? parents.last(where: { $0.attributes["data-name"] != nil })?.attributes["data-name"]
        let classes = parents.compactMap { $0.attributes["class"] }
        elements.append(Element(name: name, attributes: attributes, text: "", seriesName: series, ancestorClasses: classes))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let top = stack.last { elements[top].text += string }
    }

    /// data-name of every `<g class="series">`.
    var seriesNames: [String] {
        elements.filter { $0.name == "g" && $0.attributes["class"] == "series" }.compactMap { $0.attributes["data-name"] }
    }

    /// data-name of every legend entry.
    var legendNames: [String] {
        elements.filter { $0.attributes["class"] == "legend-entry" }.compactMap { $0.attributes["data-name"] }
    }

    func texts(class cls: String) -> [String] {
        elements.filter { $0.attributes["class"] == cls }.map(\.text)
    }

    /// Texts of the tick labels of an axis ("xticks" or "yticks").
    func tickLabels(_ axis: String) -> [String] {
        elements.filter { $0.name == "text" && $0.ancestorClasses.last == axis }.map(\.text)
    }

    /// Elements drawn inside the named series.
    func elements(inSeries name: String) -> [Element] {
        elements.filter { $0.seriesName == name && $0.attributes["data-name"] == nil && $0.ancestorClasses.contains("series") }
    }
}
