import ArgumentParser
import PartaDashboard

/// `--public-url` and `--trust-proxy`: the options of every command that serves the dashboard
/// behind a TLS proxy (`parta hub serve`, `parta demo`). A malformed value is a usage error (exit 2).
struct ProxyOptions: ParsableArguments {
    @Option(help: ArgumentHelp(T("The address browsers use, behind a TLS proxy (e.g. https://parta.ruo.example): forms posted from it are accepted, and with https the cookies are Secure.",
                                 "Адрес, по которому панель открывают в браузере через TLS-прокси (например https://parta.ruo.example): формы с него принимаются, а при https cookie получают флаг Secure."),
                               valueName: "URL"))
    var publicURL: String?
    @Option(help: ArgumentHelp(T("A reverse proxy whose X-Forwarded-For, X-Forwarded-Proto and X-Real-IP are believed (an IP address, usually 127.0.0.1; repeat it or separate with commas). From anyone else they are ignored.",
                                 "Обратный прокси, которому верят в X-Forwarded-For, X-Forwarded-Proto и X-Real-IP (IP-адрес, обычно 127.0.0.1; можно повторить или перечислить через запятую). От остальных эти заголовки не принимаются."),
                               valueName: "ADDR"))
    var trustProxy: [String] = []

    func validate() throws { _ = try trust() }

    /// The options as the server's ``ProxyTrust``.
    func trust() throws -> ProxyTrust {
        do {
            return try ProxyTrust(trustedProxies: trustProxy, publicURL: publicURL)
        } catch let error as DashboardError {
            throw ValidationError(error.message.text(in: language))
        }
    }
}
