/// The console's files, kept in the binary: no build step, nothing fetched from other sites.
enum ConsoleAssets {
    /// A page of the console: the shared head (style, the common script and the page's own), the bar
    /// with its name and the links between pages (the current one marked), then `body`.
    static func document(title: String, script: String, current: String, body: String) -> String {
        let links = [("/console", "Chat"), ("/console/ops", "Operations")].map { path, name in
            "<a href=\"\(path)\"\(path == current ? " aria-current=\"page\"" : "")>\(name)</a>"
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(title)</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/console/console.css">
            <script src="/console/common.js" defer></script>
            <script src="/console/\(script)" defer></script>
            </head>
            <body>
            <header class="bar">
              <h1>ChatOps</h1>
              <nav aria-label="Console pages">\(links.joined(separator: " "))</nav>
            """ + "\n" + body
    }

    /// The chat page: who you are, the conversation with its threads, and the message box.
    static let page = document(title: "ChatOps console", script: "console.js", current: "/console", body: chatBody)

    /// The chat page after its links: the live state, who you are, the transcript and the composer.
    static let chatBody = #"""
          <span id="live" class="live" aria-live="polite"></span>
          <form id="who" class="who">
            <label for="person" id="person-label">You are</label>
            <select id="person"></select>
            <label for="token" id="token-label" hidden>Your token</label>
            <input id="token" type="password" autocomplete="off" hidden>
          </form>
        </header>
        <main>
          <section id="transcript" role="log" aria-label="Conversation"></section>
          <form id="composer" class="composer">
            <label for="text" class="visually-hidden">Message to the bot</label>
            <input id="text" list="commands" autocomplete="off" placeholder="deploy fraud-model v12 --env prod" aria-describedby="hint" required>
            <datalist id="commands"></datalist>
            <button type="submit">Send</button>
            <p id="hint" class="hint" aria-live="polite"></p>
            <p id="problem" class="problem" role="alert"></p>
          </form>
        </main>
        </body>
        </html>
        """#
}
