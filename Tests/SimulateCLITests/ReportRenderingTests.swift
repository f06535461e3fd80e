import Foundation
import Testing

/// The committed reports in Reports/, rendered by real headless Chromium (Debian's package, which
/// `make test` installs): every plot draws the number of points and front points its report.json
/// records, the table lists every point, and the page is not blank.
@Suite("Reports render in headless Chromium")
struct ReportRenderingTests {
    static let reports: [String] = {
        let dir = CLI.repositoryRoot.path + "/Reports"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/index.html") }.sorted()
    }()

    static func chromium(_ arguments: [String]) throws -> CLI.Result {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        return try CLI.runProgram(try #require(chromium, "chromium is missing: run make test (scripts/setup.sh installs it)"),
                                  ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"] + arguments)
    }

    @Test("Reports are committed") func present() {
        #expect(Self.reports.count >= 1, "no report in Reports/")
    }

    @Test("Every report's plots draw their points and front; the table holds every point; the screenshot is not blank", arguments: reports)
    func render(_ name: String) throws {
        let dir = CLI.repositoryRoot.path + "/Reports/" + name
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))) as! [String: Any]
        let plots = meta["plots"] as! [[String: Any]]
        let url = "file://" + dir + "/index.html"
        let dom = try Self.chromium(["--virtual-time-budget=20000", "--dump-dom", url])
        #expect(dom.status == 0)
        let drawn = plots.reduce(0) { $0 + ($1["drawn"] as! Int) }
        // Plotly draws each marker as <path class="point"> (or "point plotly-customdata" with hover data).
        let points = dom.stdout.components(separatedBy: "class=\"point\"").count - 1
            + dom.stdout.components(separatedBy: "class=\"point ").count - 1
        #expect(points == drawn, "\(name): \(points) points in the DOM, report.json says \(drawn)")
        for p in plots {
            let front = p["front"] as! Int
            #expect(dom.stdout.contains("front (\(front))"), "\(name): legend of \(p["y"]!) vs \(p["x"]!) should read front (\(front))")
        }
        let rows = dom.stdout.components(separatedBy: "<tr class=").count - 1
        #expect(rows == meta["points"] as! Int)
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("quantsim-report-\(getpid())-\(name).png").path
        defer { try? FileManager.default.removeItem(atPath: png) }
        let shot = try Self.chromium(["--virtual-time-budget=20000", "--window-size=1200,1800", "--screenshot=\(png)", url])
        #expect(shot.status == 0)
        let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
        #expect(size > 40_000, "\(name): the screenshot is \(size) bytes; a blank page is a few kB")
    }
}
